package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;

/**
 * The running sum of an objective's weighted terms. Each term is recorded as {@code loss/<term>}
 * (its unweighted batch value); preference terms also record {@code <term>/margins} and
 * {@code <term>/accuracies}. Objectives skip switched-off terms before reading their requests, so every
 * term added here has a positive weight.
 */
final class LossTerms {
    private final String objectiveName;
    private final Metrics metrics;
    private Tensor total;

    LossTerms(String objectiveName, Metrics metrics) {
        this.objectiveName = objectiveName;
        this.metrics = metrics;
    }

    /** Adds {@code weight · mean_i ls(margin_i)}, the Bradley–Terry loss of preferring what the margin favours. */
    void addPreference(String name, double weight, Tensor margin) {
        add(name, weight, Losses.negativeLogSigmoid(margin).mean());
        metrics.mean(name + "/margins", margin);
        metrics.fractionPositive(name + "/accuracies", margin);
    }

    /** Adds {@code weight · batchLoss} for a scalar batch loss. */
    void add(String name, double weight, Tensor batchLoss) {
        if (!(weight > 0)) {
            throw new IllegalStateException(objectiveName + ": term '" + name + "' added with weight " + weight);
        }
        metrics.scalar("loss/" + name, batchLoss);
        Tensor weighted = weight == 1.0 ? batchLoss : Losses.times(weight, batchLoss);
        total = total == null ? weighted : total.add(weighted);
    }

    /** The total loss and the metrics, closed by {@code logps/<request>} for every request read. */
    ObjectiveOutput output(LogProbTable table) {
        if (total == null) {
            throw new IllegalStateException(
                    "objective '" + objectiveName + "': every term is switched off by its settings");
        }
        metrics.logps(table);
        return new ObjectiveOutput(total, metrics.values());
    }
}
