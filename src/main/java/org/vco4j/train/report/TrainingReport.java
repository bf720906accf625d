package org.vco4j.train.report;

import org.vco4j.common.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The human report of a run, {@code report.md} next to {@code metrics.jsonl}: the run's settings, a table
 * of final and best values of every metric, and one PNG chart per metric family (see {@link MetricFamily})
 * in {@code plots/}, linked relatively so the folder can be moved or browsed on a forge as it is. Every
 * file is replaced atomically; rewriting the report during training is safe.
 */
public final class TrainingReport {
    /** The report's file name. */
    public static final String FILE_NAME = "report.md";
    /** Folder of the charts, next to the report. */
    public static final String PLOTS = "plots";
    /** How many of the last logged values the "recent mean" column averages. */
    static final int RECENT = 10;

    private TrainingReport() {}

    /**
     * Reads {@code metricsFile} and writes the report and its charts next to it.
     *
     * @param title the report's heading, e.g. the run's name
     * @param settings the run's settings in display order (doubles as {@code 2e-5}, anything else with {@code String.valueOf})
     * @return the report file
     */
    public static Path write(Path metricsFile, String title, Map<String, ?> settings) throws IOException {
        List<MetricsRecord> records = MetricsLog.read(metricsFile);
        Path folder = metricsFile.toAbsolutePath().getParent();
        Map<String, List<String>> families = families(records);

        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append(summary(records, metricsFile.getFileName().toString())).append("\n\n");

        md.append("## Settings\n\n");
        if (settings.isEmpty()) {
            md.append("None recorded.\n\n");
        } else {
            md.append("| Setting | Value |\n|---|---|\n");
            settings.forEach((k, v) -> md.append("| ").append(cell(k)).append(" | ").append(cell(setting(v))).append(" |\n"));
            md.append('\n');
        }

        md.append("## Metrics\n\n");
        if (families.isEmpty()) {
            md.append("No numeric metrics were logged.\n\n");
        } else {
            md.append("| Metric | Final | Mean of last ").append(RECENT).append(" | Best | Best at step |\n|---|---:|---:|---:|---:|\n");
            for (List<String> metrics : families.values()) {
                double smoothing = smoothing(records, metrics);
                for (String metric : metrics) md.append(row(records, metric, smoothing)).append('\n');
            }
            md.append("\nBest is lowest for losses and highest for margins and accuracies, taken on the smoothed curve"
                    + " where the chart smooths, so that one lucky batch does not count.\n\n");
        }

        if (!families.isEmpty()) md.append("## Charts\n\n");
        for (Map.Entry<String, List<String>> family : families.entrySet()) {
            MetricFamily kind = MetricFamily.of(family.getValue().get(0));
            String file = family.getKey() + ".png";
            chart(records, kind, family.getValue()).write(folder.resolve(PLOTS).resolve(file));
            md.append("### ").append(kind.title()).append("\n\n");
            md.append("![").append(kind.title()).append("](").append(PLOTS).append('/').append(file).append(")\n\n");
        }

        Path report = folder.resolve(FILE_NAME);
        AtomicFiles.write(report, md.toString().getBytes(StandardCharsets.UTF_8));
        return report;
    }

    /** Numeric metrics grouped by chart, families in report order, metrics in first-logged order within each. */
    static Map<String, List<String>> families(List<MetricsRecord> records) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (MetricsRecord r : records) {
            for (Map.Entry<String, Object> e : r.values().entrySet()) {
                if (!(e.getValue() instanceof Number)) continue;
                MetricFamily family = MetricFamily.of(e.getKey());
                List<String> metrics = byKey.computeIfAbsent(family.key(), k -> new ArrayList<>());
                rank.putIfAbsent(family.key(), family.rank());
                if (!metrics.contains(e.getKey())) metrics.add(e.getKey());
            }
        }
        List<String> order = new ArrayList<>(byKey.keySet());
        // Stable: families of equal rank (the "other" groups) keep the order they were first logged in.
        order.sort(Comparator.comparingInt(rank::get));
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String key : order) out.put(key, byKey.get(key));
        return out;
    }

    private static String summary(List<MetricsRecord> records, String source) {
        if (records.isEmpty()) return "Nothing has been logged yet (`" + source + "` is empty).";
        MetricsRecord last = records.get(records.size() - 1);
        return String.format(java.util.Locale.ROOT, "%d logged steps, from step %d to step %d (epoch %s). Source: `%s`.",
                records.size(), records.get(0).step(), last.step(), TickLabels.number(last.epoch()), source);
    }

    private static String row(List<MetricsRecord> records, String metric, double smoothing) {
        Series series = Series.of(records, metric);
        double last = series.y.length == 0 ? Double.NaN : series.y[series.y.length - 1];
        double recent = 0;
        int n = 0;
        for (int i = series.y.length - 1; i >= 0 && n < RECENT; i--) {
            if (!Double.isFinite(series.y[i])) continue;
            recent += series.y[i];
            n++;
        }
        recent = n == 0 ? Double.NaN : recent / n;
        MetricFamily.Direction direction = MetricFamily.direction(metric);
        double[] judged = smoothing > 0 && series.y.length >= LinePlot.MIN_POINTS_TO_SMOOTH
                ? LinePlot.smooth(series.y, smoothing) : series.y;
        double best = Double.NaN;
        long bestStep = -1;
        for (int i = 0; i < judged.length && direction != MetricFamily.Direction.NONE; i++) {
            double v = judged[i];
            if (!Double.isFinite(v)) continue;
            if (bestStep < 0 || (direction == MetricFamily.Direction.LOWER ? v < best : v > best)) {
                best = v;
                bestStep = (long) series.x[i];
            }
        }
        return "| " + cell(metric) + " | " + TickLabels.number(last) + " | " + TickLabels.number(recent) + " | "
                + (bestStep < 0 ? "" : TickLabels.number(best)) + " | " + (bestStep < 0 ? "" : Long.toString(bestStep)) + " |";
    }

    /**
     * The smoothing weight of a chart: none for a few points, then a moving average over about 1/40 of the
     * run, so a long run's chart shows its trend and a short one its values.
     */
    static double smoothing(List<MetricsRecord> records, List<String> metrics) {
        if (!MetricFamily.of(metrics.get(0)).smoothed()) return 0;
        int points = 0;
        for (String metric : metrics) points = Math.max(points, Series.of(records, metric).x.length);
        double weight = Math.min(0.95, 1 - 40.0 / Math.max(points, 1));
        return weight < 0.3 ? 0 : weight;
    }

    /** One metric's logged values and their steps, in log order. */
    private record Series(double[] x, double[] y) {
        static Series of(List<MetricsRecord> records, String metric) {
            int n = 0;
            for (MetricsRecord r : records) if (r.values().containsKey(metric)) n++;
            double[] x = new double[n];
            double[] y = new double[n];
            int i = 0;
            for (MetricsRecord r : records) {
                if (!r.values().containsKey(metric)) continue;
                x[i] = r.step();
                y[i++] = r.number(metric);
            }
            return new Series(x, y);
        }
    }

    private static LinePlot chart(List<MetricsRecord> records, MetricFamily family, List<String> metrics) {
        LinePlot plot = new LinePlot(family.title()).xLabel("step").smoothing(smoothing(records, metrics));
        if (family.fraction()) plot.yRange(0, 1);
        for (String metric : metrics) {
            Series series = Series.of(records, metric);
            plot.series(metric, series.x, series.y);
        }
        return plot;
    }

    /** A setting as a person writes it: {@code 2e-5}, not Java's {@code 2.0E-5}; other values as they print. */
    static String setting(Object value) {
        if (!(value instanceof Double || value instanceof Float)) return String.valueOf(value);
        String text = value.toString();
        int e = text.indexOf('E');
        if (e < 0) return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
        String mantissa = text.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return mantissa + "e" + text.substring(e + 1);
    }

    /** Text for a Markdown table cell: pipes escaped, line breaks flattened. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** As {@link #write(Path, String, Map)} with the heading "Training report". */
    public static Path write(Path metricsFile, Map<String, ?> settings) throws IOException {
        return write(metricsFile, "Training report", settings);
    }
}
