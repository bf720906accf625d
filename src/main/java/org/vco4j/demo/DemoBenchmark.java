package org.vco4j.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's comparison repeated over seeds (world, base and data all change with the seed), reported as
 * mean ± standard deviation per cell, so a claim that one method beats another can be checked against the noise.
 */
public final class DemoBenchmark {
    private DemoBenchmark() {}

    /** Per model, per metric key, the values of every seed (NaN where a seed had none). */
    public record Result(Map<String, Map<String, List<Double>>> values, String table) {}

    public static Result run(Path out, List<Long> seeds, boolean quick) throws IOException {
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        for (long seed : seeds) {
            System.err.printf(Locale.ROOT, "=== seed %d (%d of %d) ===%n", seed, seeds.indexOf(seed) + 1, seeds.size());
            Path folder = out.resolve("seed-" + seed);
            DemoSettings settings = quick ? DemoSettings.quick(folder, seed) : DemoSettings.full(folder, seed);
            DemoResult result = new Demo(settings).run();
            result.metrics().forEach((model, metrics) -> {
                Map<String, List<Double>> byKey = values.computeIfAbsent(model, m -> new LinkedHashMap<>());
                for (DemoReport.Column c : DemoReport.RECORDED_COLUMNS) {
                    byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(metrics.getOrDefault(c.key(), Double.NaN));
                }
            });
        }
        return new Result(values, table(values, seeds.size()));
    }

    static String table(Map<String, Map<String, List<Double>>> values, int seeds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "mean ± std over %d seed(s)%n", seeds));
        block(out, values, DemoReport.COLUMNS);
        out.append(String.format(Locale.ROOT, "%nPOPE accuracy with the image and without it (the same questions, no image slot)%n"));
        block(out, values, DemoReport.WITHOUT_IMAGE_COLUMNS);
        return out.toString();
    }

    private static void block(StringBuilder out, Map<String, Map<String, List<Double>>> values, List<DemoReport.Column> columns) {
        out.append(String.format(Locale.ROOT, "%-8s", "model"));
        for (DemoReport.Column c : columns) out.append(String.format(Locale.ROOT, " %15s", c.header()));
        out.append('\n');
        values.forEach((model, byKey) -> {
            out.append(String.format(Locale.ROOT, "%-8s", model));
            for (DemoReport.Column c : columns) out.append(String.format(Locale.ROOT, " %15s", meanStd(byKey.get(c.key()))));
            out.append('\n');
        });
    }

    /** "0.612 ± 0.041" over the finite values; "n/a" when there are none. */
    static String meanStd(List<Double> values) {
        List<Double> finite = values == null ? List.of() : values.stream().filter(Double::isFinite).toList();
        if (finite.isEmpty()) return "n/a";
        double mean = finite.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = finite.size() < 2 ? 0
                : finite.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (finite.size() - 1);
        return String.format(Locale.ROOT, "%.3f ± %.3f", mean, Math.sqrt(variance));
    }
}
