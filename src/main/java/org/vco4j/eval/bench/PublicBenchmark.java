package org.vco4j.eval.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A hallucination benchmark read from its files as published and scored by its official rule. The reader runs
 * when the benchmark is created (bad files fail before a model loads); {@link #score} sees every item's answer
 * and may write the files the benchmark's own scripts read or write next to the summary.
 */
public interface PublicBenchmark {
    /** The command-line name ({@code pope}, {@code mmvp}, {@code chair}). */
    String name();

    /** What the benchmark was read from and how it asks (data, images, instruction, limit), for the run's record. */
    Map<String, Object> settings();

    /**
     * How the answers are graded, when it is not fixed by the benchmark (an LLM judge: its model and endpoint), for
     * the summary; not part of the answers' settings, so answers can be graded again by another judge.
     */
    default Map<String, Object> grading() {
        return Map.of();
    }

    /** Every question to ask, in the benchmark's order. */
    List<BenchmarkItem> items();

    /**
     * The metrics (slash-separated names, NaN where undefined) of the answers, keyed by item id; writes the
     * benchmark's own result files into {@code out}.
     */
    Map<String, Double> score(Map<String, String> answers, Path out) throws IOException;

    /**
     * Markdown tables the benchmark's own scorer prints (breakdowns by category), appended to {@code summary.md} after
     * the metric table; empty when the metrics say it all.
     */
    default String summaryTables(Map<String, Double> metrics) {
        return "";
    }
}
