package org.vco4j.eval.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Metrics as a text table for people: a name's last segment is the column, the rest the row
 * ({@code pope/random/f1} is row {@code pope/random}, column {@code f1}). Undefined values print as "n/a".
 */
public final class MetricTable {
    private MetricTable() {}

    public static String render(Map<String, Double> metrics) {
        Map<String, Map<String, Double>> rows = rows(metrics);
        // Rows with the same columns print as one block under one header; others get their own header.
        StringBuilder out = new StringBuilder();
        List<String> header = null;
        int rowWidth = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, Map<String, Double>> row : rows.entrySet()) {
            List<String> cols = new ArrayList<>(row.getValue().keySet());
            if (!cols.equals(header)) {
                if (header != null) out.append('\n');
                header = cols;
                out.append(pad("", rowWidth));
                for (String col : cols) out.append("  ").append(pad(col, width(col)));
                out.append('\n');
            }
            out.append(pad(row.getKey(), rowWidth));
            for (String col : cols) out.append("  ").append(padLeft(format(row.getValue().get(col)), width(col)));
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * The same grouping as a Markdown table per block of rows sharing their columns, for reports
     * ({@code | | accuracy | f1 |} then {@code | pope/random | 0.8500 | 0.8421 |}).
     */
    public static String markdown(Map<String, Double> metrics) {
        StringBuilder out = new StringBuilder();
        List<String> header = null;
        for (Map.Entry<String, Map<String, Double>> row : rows(metrics).entrySet()) {
            List<String> cols = new ArrayList<>(row.getValue().keySet());
            if (!cols.equals(header)) {
                if (header != null) out.append('\n');
                header = cols;
                out.append("| |");
                for (String col : cols) out.append(' ').append(col).append(" |");
                out.append("\n|---|");
                out.append("---:|".repeat(cols.size())).append('\n');
            }
            out.append("| ").append(row.getKey()).append(" |");
            for (String col : cols) out.append(' ').append(format(row.getValue().get(col))).append(" |");
            out.append('\n');
        }
        return out.toString();
    }

    /** Metric name → (row = all but the last segment, column = the last segment), in the metrics' order. */
    private static Map<String, Map<String, Double>> rows(Map<String, Double> metrics) {
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Double> entry : metrics.entrySet()) {
            int slash = entry.getKey().lastIndexOf('/');
            String row = slash < 0 ? "" : entry.getKey().substring(0, slash);
            String column = entry.getKey().substring(slash + 1);
            rows.computeIfAbsent(row, r -> new LinkedHashMap<>()).put(column, entry.getValue());
        }
        return rows;
    }

    public static String format(double value) {
        if (Double.isNaN(value)) return "n/a";
        // Counts (questions, pairs) print as integers; rates always with four decimals.
        if (value == Math.rint(value) && Math.abs(value) > 1 && Math.abs(value) < 1e9) return String.valueOf((long) value);
        return Math.abs(value) >= 1000 ? String.format(Locale.ROOT, "%.4g", value) : String.format(Locale.ROOT, "%.4f", value);
    }

    private static int width(String column) {
        return Math.max(10, column.length());
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    private static String padLeft(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
