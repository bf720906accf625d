package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.data.BatchPosition;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleBatches;
import org.vco4j.objective.Objective;
import org.vco4j.tensor.Tensors;
import org.vco4j.train.distributed.BatchSharding;
import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.optim.AdamW;
import org.vco4j.train.optim.GradientClipping;
import org.vco4j.train.optim.LearningRateSchedule;
import org.vco4j.train.report.MetricsLog;
import org.vco4j.train.report.MetricsRecord;
import org.vco4j.common.ProgressBar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The training loop: accumulate gradients over micro-batches, average them over ranks, clip, step, log,
 * evaluate, checkpoint. Everything it needs is built by {@link TrainingRun}; checkpoints, metrics and the
 * report are written by the plug-ins it is given.
 */
public final class Trainer {
    private final TrainingRun run;
    private final TrainConfig config;
    private final DistributedContext distributed;
    private final SampleBatches batches;
    private final ObjectiveStep step;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final TrainerCheckpoints checkpoints;

    public Trainer(TrainingRun run) {
        this.run = run;
        this.config = run.config();
        this.distributed = run.distributed();
        this.batches = run.batches();
        this.step = run.step();
        this.optimizer = run.optimizer();
        this.schedule = run.schedule();
        this.checkpoints = run.checkpoints();
    }

    /** Trains from {@code state} (fresh or resumed) to the last step; returns the final state. */
    public TrainerState train(TrainerState state, MetricsLog metrics) throws IOException {
        long total = state.totalSteps;
        BatchPosition position = new BatchPosition(state.epoch, state.batchIndex);
        ProgressBar progress = distributed.isMain() ? new ProgressBar("train " + config.objective, total, "samples") : null;
        if (progress != null) progress.start(state.globalStep, 0);
        long windowSamples = 0;
        long windowTokens = 0;
        long windowStart = System.nanoTime();
        long samplesSeen = 0;
        while (state.globalStep < total) {
            long globalStep = state.globalStep;
            double learningRate = schedule.learningRate(globalStep);
            run.policy().training(true);
            Map<String, Double> stepMetrics = new TreeMap<>();
            long stepSamples = 0;
            long stepTokens = 0;
            for (int micro = 0; micro < config.gradientAccumulationSteps; micro++) {
                List<Sample> globalBatch = batches.batch(position);
                boolean[] swaps = run.objective().drawSwaps(globalBatch.size(), positionRandom(position));
                List<Sample> local = BatchSharding.shard(globalBatch, distributed);
                boolean[] localSwaps = slice(swaps, globalBatch.size(), local.size());
                if (run.policy().usesLora()) run.policy().adapters().reseedDropout(globalStep * config.gradientAccumulationSteps + micro);
                try (PointerScope scope = new PointerScope()) {
                    ObjectiveStep.Result result = step.run(local, localSwaps);
                    double loss = Tensors.item(result.output().loss());
                    if (!Double.isFinite(loss)) {
                        throw new TrainingFailedException("step " + (globalStep + 1) + ": the loss is " + loss + " on samples "
                                + result.sampleIds() + "; the last good checkpoint is " + checkpoints.describeLatest());
                    }
                    // Each rank's share of the global mean, so that averaging gradients over ranks gives exactly the
                    // gradient of the global batch's mean loss, however unevenly the last batch splits.
                    double share = (double) local.size() * distributed.worldSize() / globalBatch.size() / config.gradientAccumulationSteps;
                    result.output().loss().mul(new Scalar(share)).backward();
                    accumulate(stepMetrics, result.output().metrics(), loss, share);
                    stepTokens += result.tokens();
                }
                stepSamples += globalBatch.size();
                position = batches.next(position);
            }
            distributed.allReduceGradients(run.policy().trainableParameters().values());
            double gradNorm = config.maxGradNorm > 0
                    ? GradientClipping.clipGlobalNorm(run.policy().trainableParameters().values(), config.maxGradNorm)
                    : GradientClipping.globalNorm(run.policy().trainableParameters().values());
            if (!Double.isFinite(gradNorm)) {
                throw new TrainingFailedException("step " + (globalStep + 1) + ": the gradient norm is " + gradNorm
                        + "; the last good checkpoint is " + checkpoints.describeLatest());
            }
            optimizer.step(learningRate);
            optimizer.zeroGrad();
            state.globalStep = globalStep + 1;
            state.epoch = position.epoch();
            state.batchIndex = position.index();
            samplesSeen += stepSamples;
            windowSamples += stepSamples;
            windowTokens += stepTokens * distributed.worldSize();

            Map<String, Double> averaged = averageOverRanks(stepMetrics);
            if (state.globalStep % config.loggingSteps == 0 || state.globalStep == total) {
                double seconds = (System.nanoTime() - windowStart) / 1e9;
                Map<String, Object> values = new LinkedHashMap<>();
                values.put(MetricsRecord.LOSS, averaged.get(MetricsRecord.LOSS));
                averaged.forEach((name, value) -> { if (!name.equals(MetricsRecord.LOSS)) values.put(name, value); });
                values.put("learning_rate", learningRate);
                values.put("grad_norm", gradNorm);
                values.put("samples_per_second", windowSamples / seconds);
                values.put("tokens_per_second", windowTokens / seconds);
                if (distributed.isMain()) metrics.log(new MetricsRecord(state.globalStep, epochOf(state), values));
                windowSamples = 0;
                windowTokens = 0;
                windowStart = System.nanoTime();
            }
            if (progress != null) progress.update(state.globalStep, samplesSeen, averaged.getOrDefault(MetricsRecord.LOSS, Double.NaN));
            if (config.evalSteps > 0 && state.globalStep % config.evalSteps == 0 && state.globalStep < total) {
                evaluate(state, metrics);
            }
            if (state.globalStep % config.saveSteps == 0 && state.globalStep < total) checkpoints.save(state);
        }
        if (progress != null) progress.finish(state.globalStep, samplesSeen, Double.NaN);
        return state;
    }

    /** Mean loss and metrics over the validation split, logged with an {@code eval/} prefix. */
    public Map<String, Double> evaluate(TrainerState state, MetricsLog metrics) throws IOException {
        List<Sample> validation = run.validation();
        if (validation.isEmpty() || !distributed.isMain()) {
            distributed.barrier();
            return Map.of();
        }
        run.policy().training(false);
        Map<String, Double> sums = new TreeMap<>();
        int batchSize = config.batchSize;
        for (int start = 0; start < validation.size(); start += batchSize) {
            List<Sample> batch = validation.subList(start, Math.min(validation.size(), start + batchSize));
            boolean[] swaps = run.objective().drawSwaps(batch.size(), new SplittableRandom(config.seed ^ (0x5eedL + start)));
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                ObjectiveStep.Result result = step.run(batch, swaps);
                accumulate(sums, result.output().metrics(), Tensors.item(result.output().loss()),
                        (double) batch.size() / validation.size());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        sums.forEach((name, value) -> values.put("eval/" + name, value));
        metrics.log(new MetricsRecord(state.globalStep, epochOf(state), values));
        distributed.barrier();
        return sums;
    }

    private static void accumulate(Map<String, Double> into, Map<String, Double> metrics, double loss, double weight) {
        into.merge("loss", loss * weight, Double::sum);
        metrics.forEach((name, value) -> {
            if (Double.isFinite(value)) into.merge(name, value * weight, Double::sum);
        });
    }

    /** Metric sums over ranks: each rank's values are already weighted by its share of the global batch. */
    private Map<String, Double> averageOverRanks(Map<String, Double> local) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (!distributed.isDistributed()) return new LinkedHashMap<>(local);
        List<String> names = new ArrayList<>(local.keySet());
        double[] values = new double[names.size()];
        for (int i = 0; i < values.length; i++) values[i] = local.get(names.get(i)) / distributed.worldSize();
        try (PointerScope scope = new PointerScope()) {
            Tensor reduced = distributed.allReduceSum(Tensors.doubles(values));
            float[] sums = Tensors.toFloatArray(reduced);
            for (int i = 0; i < values.length; i++) out.put(names.get(i), (double) sums[i]);
        }
        return out;
    }

    private double epochOf(TrainerState state) {
        return state.epoch + (double) state.batchIndex / batches.batchesPerEpoch();
    }

    private SplittableRandom positionRandom(BatchPosition position) {
        return positionRandom(config.seed, position);
    }

    /** Randomness of a batch (image-order swaps) is a pure function of (seed, position): nothing to save. */
    static SplittableRandom positionRandom(long seed, BatchPosition position) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + position.epoch() * 1_000_003L + position.index());
    }

    private boolean[] slice(boolean[] swaps, int globalSize, int localSize) {
        int start = BatchSharding.shardStart(globalSize, distributed.rank(), distributed.worldSize());
        boolean[] out = new boolean[localSize];
        System.arraycopy(swaps, start, out, 0, localSize);
        return out;
    }
}
