package org.vco4j.train;

import org.vco4j.train.report.MetricsRecord;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plug-in of the {@link Trainer} loop, as in DJL's {@code TrainingListener} and the Hugging Face Trainer's
 * callbacks: metrics, progress, checkpoints and the report watch the loop instead of living inside it. Every
 * hook is a no-op by default; the trainer calls its listeners in the order it was given them, on every rank
 * (a listener that only rank 0 should run is given to rank 0 only).
 */
public interface TrainingListener {
    /** Before the first step of this session; {@code state} is fresh or resumed. */
    default void onTrainBegin(TrainerState state) throws IOException {}

    /** After each optimizer step, once its metrics are averaged over ranks. */
    default void onStepEnd(StepEnd step) throws IOException {}

    /** After a validation pass, on the rank that ran it (rank 0), before the ranks meet again. */
    default void onEvaluate(Evaluation evaluation) throws IOException {}

    /** Every {@code save_steps} steps but the last, after that step's evaluation: the time to save a checkpoint. */
    default void onSave(TrainerState state) throws IOException {}

    /** After the last step and the final evaluation. */
    default void onTrainEnd(TrainerState state) throws IOException {}

    /**
     * One optimizer step as the loop saw it.
     *
     * @param step the global step just taken (1-based)
     * @param epoch fractional epoch after the step, as Hugging Face logs it
     * @param metrics {@code loss} and the objective's metrics, mean over the global batch, in logging order
     * @param gradNorm the global gradient norm before clipping
     * @param samples samples of the global batch(es) of this step
     * @param tokens tokens of this step over all ranks (this rank's count times the number of ranks)
     */
    record StepEnd(long step, long totalSteps, double epoch, Map<String, Double> metrics, double learningRate,
                   double gradNorm, long samples, long tokens) {
        public StepEnd {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /** The step's mean loss (NaN if absent). */
        public double loss() {
            return metrics.getOrDefault(MetricsRecord.LOSS, Double.NaN);
        }

        public boolean isLast() {
            return step == totalSteps;
        }
    }

    /**
     * The mean loss and metrics over the validation split at {@code step}, in logging order, without the
     * {@code eval/} prefix.
     */
    record Evaluation(long step, double epoch, Map<String, Double> metrics) {
        public Evaluation {
            metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }
}
