package org.vco4j.eval.bench;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every published benchmark holds once its files are read: its command-line name, the settings it was read
 * with ({@code data}, {@code images}, {@code instruction}, {@code limit}, in that order, for the run's record), how
 * its answers are graded where the benchmark leaves a choice, and its items in the benchmark's order. Subclasses add
 * their records and the official scoring.
 */
abstract class AbstractPublicBenchmark implements PublicBenchmark {
    private final String name;
    private final Map<String, Object> settings;
    private final Map<String, Object> grading;
    private final List<BenchmarkItem> items;

    /**
     * @param data        what the benchmark was read from (file or folder, as resolved)
     * @param images      its image folder
     * @param instruction the instruction as applied to the prompts (the default filled in)
     * @param limit       the {@code --limit} it was read with; 0 for all
     */
    AbstractPublicBenchmark(String name, Path data, Path images, String instruction, int limit, List<BenchmarkItem> items) {
        this(name, Map.of(), data, images, instruction, limit, items);
    }

    /** @param grading the grader, for the summary (see {@link PublicBenchmark#grading()}) */
    AbstractPublicBenchmark(String name, Map<String, Object> grading, Path data, Path images, String instruction, int limit,
                            List<BenchmarkItem> items) {
        this.name = name;
        this.grading = grading;
        Map<String, Object> read = new LinkedHashMap<>();
        read.put("data", data);
        read.put("images", images);
        read.put("instruction", instruction);
        read.put("limit", limit);
        this.settings = Collections.unmodifiableMap(read);
        this.items = List.copyOf(items);
    }

    /** The question, then the instruction after a newline (LLaVA's prompt layout); the question alone for an empty instruction. */
    static String withInstruction(String question, String instruction) {
        return instruction.isEmpty() ? question : question + "\n" + instruction;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Map<String, Object> settings() {
        return settings;
    }

    @Override
    public Map<String, Object> grading() {
        return grading;
    }

    @Override
    public final List<BenchmarkItem> items() {
        return items;
    }
}
