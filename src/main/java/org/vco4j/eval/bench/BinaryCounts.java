package org.vco4j.eval.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Confusion counts of yes/no answers, "yes" being the positive class (POPE's convention), and the metrics POPE
 * reports from them. A metric whose denominator is zero is NaN: precision is undefined for a model that never
 * says "yes".
 */
public record BinaryCounts(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {
    public static final BinaryCounts EMPTY = new BinaryCounts(0, 0, 0, 0);

    /** These counts plus one answer. */
    public BinaryCounts add(boolean truth, boolean predicted) {
        return new BinaryCounts(truePositives + (truth && predicted ? 1 : 0), falsePositives + (!truth && predicted ? 1 : 0),
                trueNegatives + (!truth && !predicted ? 1 : 0), falseNegatives + (truth && !predicted ? 1 : 0));
    }

    public int total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** Harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN); 0 when there are positives but no true positive. */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    /** Fraction of answers that were "yes": far from the truth's 0.5 on a balanced set, the model leans on a prior. */
    public double yesRatio() {
        return ratio(truePositives + falsePositives, total());
    }

    /** accuracy, precision, recall, f1 and yes_ratio under {@code prefix + "/"}. */
    public Map<String, Double> metrics(String prefix) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(prefix + "/accuracy", accuracy());
        metrics.put(prefix + "/precision", precision());
        metrics.put(prefix + "/recall", recall());
        metrics.put(prefix + "/f1", f1());
        metrics.put(prefix + "/yes_ratio", yesRatio());
        return metrics;
    }

    public static double ratio(double numerator, double denominator) {
        return denominator == 0 ? Double.NaN : numerator / denominator;
    }
}
