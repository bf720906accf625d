package org.vco4j.train.report;

import java.util.Locale;

/**
 * Which chart a metric belongs on. Metrics that share a scale share a chart: every loss term with the
 * loss, TRL's {@code rewards/chosen|rejected} together, every {@code .../margins} (reward margins of any
 * term) together, every {@code .../accuracies*} together on [0, 1], every {@code logps/...} together, then
 * learning rate and gradient norm; anything else is grouped by the part of its name before the first
 * slash ({@code vcdist/...}, {@code eval/...}, {@code samples_per_second}).
 *
 * @param key file-name-safe identifier, also the chart's file name
 * @param title chart and section title
 * @param rank position in the report (known families first, in the order above)
 */
record MetricFamily(String key, String title, int rank) {

    /** Which values of a metric count as best. */
    enum Direction { LOWER, HIGHER, NONE }

    /**
     * Lower is better for losses and negative log-likelihoods, higher for margins and accuracies; rewards,
     * log-probabilities and the rest have no better direction (a rising chosen reward can be a bad sign).
     */
    static Direction direction(String metric) {
        String lower = metric.toLowerCase(Locale.ROOT);
        String last = lower.substring(lower.lastIndexOf('/') + 1);
        if (lower.equals(MetricsRecord.LOSS) || lower.startsWith("loss/") || lower.startsWith("nll/") || last.contains("loss")
                || last.equals("nll") || last.contains("perplexity")) {
            return Direction.LOWER;
        }
        if (last.equals("margins") || last.contains("accurac")) return Direction.HIGHER;
        return Direction.NONE;
    }

    static MetricFamily of(String metric) {
        String last = metric.substring(metric.lastIndexOf('/') + 1);
        String first = metric.contains("/") ? metric.substring(0, metric.indexOf('/')) : metric;
        if (first.equals(MetricsRecord.LOSS)) return new MetricFamily("loss", "Loss", 0);
        if (last.equals("margins")) return new MetricFamily("margins", "Reward margins", 2);
        if (last.startsWith("accuracies")) return new MetricFamily("accuracies", "Accuracies", 3);
        if (first.equals("rewards")) return new MetricFamily("rewards", "Rewards", 1);
        if (first.equals("logps")) return new MetricFamily("logps", "Log-probabilities (policy)", 4);
        if (metric.equals(MetricsRecord.LEARNING_RATE)) return new MetricFamily("learning_rate", "Learning rate", 6);
        if (metric.equals(MetricsRecord.GRAD_NORM)) {
            return new MetricFamily("grad_norm", "Gradient norm (before clipping)", 7);
        }
        if (metric.equals(MetricsRecord.SAMPLES_PER_SECOND)) return new MetricFamily(metric, "Samples per second", 8);
        if (metric.equals(MetricsRecord.TOKENS_PER_SECOND)) return new MetricFamily(metric, "Tokens per second", 9);
        if (metric.equals(MetricsRecord.FLOPS_PER_SAMPLE)) return new MetricFamily(metric, "FLOPs per sample", 10);
        if (metric.equals(MetricsRecord.FLOPS_PER_SECOND)) return new MetricFamily(metric, "FLOP/s", 11);
        return new MetricFamily(safe(first), first, 5);
    }

    /** Whether a chart of this family smooths its noisy per-batch values. */
    boolean smoothed() {
        return !key.equals("learning_rate") && rank < 8;
    }

    /** Whether the chart always shows [0, 1]. */
    boolean fraction() {
        return key.equals("accuracies");
    }

    /** Letters, digits, '-' and '_' only, so the key is a portable file name. */
    private static String safe(String name) {
        String out = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "_");
        return out.isEmpty() || out.equals("_") ? "other" : out;
    }
}
