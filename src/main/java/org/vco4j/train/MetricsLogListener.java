package org.vco4j.train;

import org.vco4j.model.nn.Flops;
import org.vco4j.train.report.MetricsLog;
import org.vco4j.train.report.MetricsRecord;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the run's {@link MetricsLog} ({@code metrics.jsonl}): every {@code logging_steps} steps and at the last
 * step a training record ({@code loss}, the objective's metrics, {@code learning_rate}, {@code grad_norm}, the
 * throughput and the executed FLOPs per sample and per second since the previous record), and an {@code eval/}-prefixed record for every evaluation. Does not
 * close the log.
 */
public final class MetricsLogListener implements TrainingListener {
    private final MetricsLog log;
    private final int loggingSteps;
    private final int worldSize;
    private long windowSamples;
    private long windowTokens;
    private long windowStart = System.nanoTime();
    private long windowFlops = Flops.count();

    /** @param worldSize the number of data-parallel ranks (the FLOPs counted here are this process's) */
    public MetricsLogListener(MetricsLog log, int loggingSteps, int worldSize) {
        this.log = log;
        this.loggingSteps = loggingSteps;
        this.worldSize = worldSize;
    }

    @Override
    public void onTrainBegin(TrainerState state) {
        windowStart = System.nanoTime();
        windowFlops = Flops.count();
    }

    @Override
    public void onStepEnd(StepEnd step) throws IOException {
        windowSamples += step.samples();
        windowTokens += step.tokens();
        if (step.step() % loggingSteps != 0 && !step.isLast()) return;
        double seconds = (System.nanoTime() - windowStart) / 1e9;
        // This process's count, times the ranks: every rank runs the same shapes on its share of the batch.
        double flops = (double) (Flops.count() - windowFlops) * worldSize;
        log.log(MetricsRecord.builder(step.step(), step.epoch())
                .loss(step.loss())
                .metrics(step.metrics())
                .learningRate(step.learningRate())
                .gradNorm(step.gradNorm())
                .throughput(windowSamples / seconds, windowTokens / seconds)
                .flops(flops / windowSamples, flops / seconds)
                .build());
        windowSamples = 0;
        windowTokens = 0;
        windowStart = System.nanoTime();
        windowFlops = Flops.count();
    }

    @Override
    public void onEvaluate(Evaluation evaluation) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        evaluation.metrics().forEach((name, value) -> values.put("eval/" + name, value));
        log.log(new MetricsRecord(evaluation.step(), evaluation.epoch(), values));
    }
}
