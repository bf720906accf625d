package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.SeededHash;
import org.vco4j.model.generation.GenerationConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a {@link PublicBenchmark} on a checkpoint (plus an optional PEFT LoRA adapter) into an output folder:
 * <ul>
 *   <li>{@value #RUN_FILE}: the run's settings, written first; a rerun into the same folder must have the same ones;</li>
 *   <li>{@value AnswerLog#FILE_NAME}: one answer per item, appended as it comes: an interrupted run continues
 *       where it stopped;</li>
 *   <li>the benchmark's own result files (official formats), then {@value #SUMMARY_JSON} and {@value #SUMMARY_MD}.</li>
 * </ul>
 * Every item is answered by generation from its image and prompt; a sampled run draws each item's tokens from a
 * seed derived from the run's seed and the item id, so a resumed run gives the answers an uninterrupted one would.
 */
public final class BenchmarkRunner {
    public static final String RUN_FILE = "run.json";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String SUMMARY_MD = "summary.md";

    private BenchmarkRunner() {}

    /** What a run measured and where it wrote it. */
    public record Summary(String benchmark, Map<String, Double> metrics, int answered, int resumed, Path out) {}

    /**
     * Checks the output folder against an earlier run, then asks the model what is still unanswered (a local model
     * loads only then), scores and writes the summary.
     *
     * @param model answers the questions and is recorded in the run's settings; the runner closes it
     */
    public static Summary run(PublicBenchmark benchmark, AnsweringModel model, GenerationConfig generation, Path out)
            throws IOException {
        try (model) {
            return runWith(benchmark, model, generation, out);
        }
    }

    private static Summary runWith(PublicBenchmark benchmark, AnsweringModel model, GenerationConfig generation, Path out)
            throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is a file; give a folder");
        ObjectNode settings = settings(benchmark, model, generation);
        Files.createDirectories(out);
        checkSameRun(out.resolve(RUN_FILE), settings);
        Map<String, BenchmarkItem> items = new LinkedHashMap<>();
        for (BenchmarkItem item : benchmark.items()) items.put(item.id(), item);
        int resumed;
        try (AnswerLog log = AnswerLog.open(out, items)) {
            resumed = log.completed().size();
            if (resumed < items.size()) answerMissing(benchmark.name(), items.values(), model, generation, log);
        }
        Map<String, String> answers = new LinkedHashMap<>();
        Map<String, String> logged = readBack(out, items);
        for (String id : items.keySet()) answers.put(id, logged.get(id));
        Map<String, Double> metrics = benchmark.score(answers, out);
        ObjectNode recorded = settings.deepCopy();
        if (!benchmark.grading().isEmpty()) recorded.set("grading", Json.MAPPER.valueToTree(benchmark.grading()));
        writeSummary(out, recorded, benchmark.name(), answers.size(), metrics, benchmark.summaryTables(metrics));
        return new Summary(benchmark.name(), metrics, answers.size(), resumed, out);
    }

    private static void answerMissing(String name, Collection<BenchmarkItem> items, AnsweringModel model, GenerationConfig generation,
                                      AnswerLog log) throws IOException {
        ProgressBar bar = new ProgressBar(name, items.size(), "answers");
        bar.start(log.completed().size(), 0);
        long answered = 0;
        for (BenchmarkItem item : items) {
            if (log.completed().containsKey(item.id())) continue;
            GenerationConfig config = generation.isGreedy() ? generation : new GenerationConfig(generation.maxNewTokens(),
                    generation.temperature(), generation.topP(), SeededHash.of(generation.seed(), item.id()));
            log.append(item, model.answer(item.context(), config).strip());
            bar.update(log.completed().size(), ++answered, Double.NaN);
        }
        bar.finish();
    }

    /** Every item's answer as the log holds it (the run just completed it). */
    private static Map<String, String> readBack(Path out, Map<String, BenchmarkItem> items) throws IOException {
        try (AnswerLog log = AnswerLog.open(out, items)) {
            if (log.completed().size() != items.size()) {
                throw new IllegalStateException(out.resolve(AnswerLog.FILE_NAME) + ": " + log.completed().size() + " of "
                        + items.size() + " answers after the run");
            }
            return log.completed();
        }
    }

    private static ObjectNode settings(PublicBenchmark benchmark, AnsweringModel model, GenerationConfig generation) {
        ObjectNode settings = Json.MAPPER.createObjectNode();
        settings.put("benchmark", benchmark.name());
        model.describe().forEach((key, value) -> settings.set(key, Json.MAPPER.valueToTree(value)));
        benchmark.settings().forEach((key, value) -> settings.set(key, Json.MAPPER.valueToTree(value instanceof Path p ? p.toAbsolutePath().normalize().toString() : value)));
        ObjectNode decoding = settings.putObject("generation");
        decoding.put("max_new_tokens", generation.maxNewTokens());
        decoding.put("temperature", generation.temperature());
        decoding.put("top_p", generation.topP());
        decoding.put("seed", generation.seed());
        return settings;
    }

    /** Starts the run's record, or checks that the folder's answers were made with these settings. */
    private static void checkSameRun(Path file, ObjectNode settings) throws IOException {
        if (!Files.exists(file)) {
            AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(settings));
            return;
        }
        JsonNode earlier = BenchmarkFiles.jsonDocument(file);
        JsonNode now = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(settings)); // numbers typed as when read back
        for (Iterator<String> names = settings.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!now.get(name).equals(earlier.get(name))) {
                throw new IllegalArgumentException(file + ": field '" + name + "' is " + earlier.get(name) + ", this run has "
                        + settings.get(name) + "; the folder holds another run's answers: use another --out");
            }
        }
    }

    private static void writeSummary(Path out, ObjectNode settings, String name, int answered, Map<String, Double> metrics,
                                     String tables) throws IOException {
        ObjectNode summary = settings.deepCopy();
        summary.put("answered", answered);
        ObjectNode values = summary.putObject("metrics");
        metrics.forEach((key, value) -> {
            if (value.isNaN() || value.isInfinite()) values.putNull(key);
            else values.put(key, value);
        });
        AtomicFiles.write(out.resolve(SUMMARY_JSON), (Json.PRETTY.writeValueAsString(summary) + "\n").getBytes(StandardCharsets.UTF_8));
        StringBuilder md = new StringBuilder("# ").append(name).append("\n\n| setting | value |\n|---|---|\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String value = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
            md.append("| ").append(e.getKey()).append(" | ").append(value.replace("|", "\\|").replace("\n", "\\n")).append(" |\n");
        }
        md.append("| answered | ").append(answered).append(" |\n\n").append(MetricTable.markdown(metrics)).append(tables);
        AtomicFiles.write(out.resolve(SUMMARY_MD), md.toString().getBytes(StandardCharsets.UTF_8));
    }
}
