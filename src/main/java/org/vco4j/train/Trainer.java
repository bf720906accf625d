package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.StopSignals;
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

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The training loop: accumulate gradients over micro-batches, average them over ranks, clip, step, and
 * evaluate every {@code eval_steps} and at the end. Everything around the loop (metrics, progress,
 * checkpoints, the report) is done by the {@link TrainingListener}s it is given, as in DJL's EasyTrain.
 */
public final class Trainer {
    /**
     * The settings the loop reads, named as in {@link TrainConfig}.
     *
     * @param evalBatchSize samples per validation batch
     * @param evalSteps evaluate every this many steps (0: at the end only)
     * @param saveSteps call {@link TrainingListener#onSave} every this many steps
     * @param saveOnSignal call {@link TrainingListener#onSave} when a stop signal ends the run at a step boundary
     */
    public record Settings(long seed, int gradientAccumulationSteps, double maxGradNorm, int evalBatchSize,
                           int evalSteps, int saveSteps, boolean saveOnSignal) {
        public static Settings of(TrainConfig config) {
            return new Settings(config.seed, config.gradientAccumulationSteps, config.maxGradNorm, config.batchSize,
                    config.evalSteps, config.saveSteps, config.saveOnSignal);
        }
    }

    private final Settings settings;
    private final Objective objective;
    private final ObjectiveStep step;
    private final PolicyModel policy;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final SampleBatches batches;
    private final List<Sample> validation;
    private final DistributedContext distributed;
    private final Supplier<String> lastCheckpoint;
    private final List<TrainingListener> listeners;
    private StopSignals stopSignals; // null: signals are not watched
    private long savedAt; // the step of the newest checkpoint of this session (or the one it resumed from)

    /**
     * @param step the objective's forward pass on the policy
     * @param policy the model trained: its trainable parameters, training mode and LoRA dropout
     * @param validation the validation split, evaluated on rank 0 only
     * @param lastCheckpoint names the last good checkpoint when training fails
     * @param listeners called in this order
     */
    public Trainer(Settings settings, Objective objective, ObjectiveStep step, PolicyModel policy, AdamW optimizer,
                   LearningRateSchedule schedule, SampleBatches batches, List<Sample> validation,
                   DistributedContext distributed, Supplier<String> lastCheckpoint, List<TrainingListener> listeners) {
        this.settings = settings;
        this.objective = objective;
        this.step = step;
        this.policy = policy;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.batches = batches;
        this.validation = validation;
        this.distributed = distributed;
        this.lastCheckpoint = lastCheckpoint;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Watches {@code signals}: when one was received (on any rank), the loop stops at the next step boundary,
     * saves a checkpoint there (unless {@code save_on_signal} is off) and throws a {@link TrainingStoppedException}.
     */
    public Trainer stopOn(StopSignals signals) {
        this.stopSignals = signals;
        return this;
    }

    /** Trains from {@code state} (fresh or resumed) to the last step, evaluates once more; returns the final state. */
    public TrainerState train(TrainerState state) throws IOException {
        long total = state.totalSteps;
        int accumulation = settings.gradientAccumulationSteps();
        BatchPosition position = new BatchPosition(state.epoch, state.batchIndex);
        for (TrainingListener listener : listeners) listener.onTrainBegin(state);
        savedAt = state.globalStep; // a resumed state has its checkpoint; a fresh one needs none
        while (true) {
            stopIfRequested(state);
            if (state.globalStep >= total) break;
            long globalStep = state.globalStep;
            double learningRate = schedule.learningRate(globalStep);
            policy.training(true);
            Map<String, Double> stepMetrics = new TreeMap<>();
            long stepSamples = 0;
            long stepTokens = 0;
            for (int micro = 0; micro < accumulation; micro++) {
                List<Sample> globalBatch = batches.batch(position);
                List<Sample> local = BatchSharding.shard(globalBatch, distributed);
                boolean[] localSwaps = localSwaps(globalBatch.size(), local.size(), position);
                if (policy.usesLora()) policy.adapters().reseedDropout(globalStep * accumulation + micro);
                try (PointerScope scope = new PointerScope()) {
                    ObjectiveStep.Result result = step.run(local, localSwaps);
                    double loss = Tensors.item(result.output().loss());
                    if (!Double.isFinite(loss)) {
                        throw new TrainingFailedException("step " + (globalStep + 1) + ": the loss is " + loss + " on samples "
                                + result.sampleIds() + "; the last good checkpoint is " + lastCheckpoint.get());
                    }
                    // Each rank's share of the global mean, so that averaging gradients over ranks gives exactly the
                    // gradient of the global batch's mean loss, however unevenly the last batch splits.
                    double share = (double) local.size() * distributed.worldSize() / globalBatch.size() / accumulation;
                    result.output().loss().mul(new Scalar(share)).backward();
                    accumulate(stepMetrics, result.output().metrics(), loss, share);
                    stepTokens += result.tokens();
                }
                stepSamples += globalBatch.size();
                position = batches.next(position);
            }
            double gradNorm = averageAndClipGradients();
            if (!Double.isFinite(gradNorm)) {
                throw new TrainingFailedException("step " + (globalStep + 1) + ": the gradient norm is " + gradNorm
                        + "; the last good checkpoint is " + lastCheckpoint.get());
            }
            optimizer.step(learningRate);
            optimizer.zeroGrad();
            state.globalStep = globalStep + 1;
            state.epoch = position.epoch();
            state.batchIndex = position.index();

            TrainingListener.StepEnd end = new TrainingListener.StepEnd(state.globalStep, total, epochOf(state),
                    averageOverRanks(stepMetrics), learningRate, gradNorm, stepSamples, stepTokens * distributed.worldSize());
            for (TrainingListener listener : listeners) listener.onStepEnd(end);
            if (isEvery(settings.evalSteps(), state.globalStep, total)) evaluate(state);
            if (isEvery(settings.saveSteps(), state.globalStep, total)) save(state);
        }
        evaluate(state);
        for (TrainingListener listener : listeners) listener.onTrainEnd(state);
        return state;
    }

    private void save(TrainerState state) throws IOException {
        for (TrainingListener listener : listeners) listener.onSave(state);
        savedAt = state.globalStep;
    }

    /** At a step boundary: when a stop signal arrived (on any rank), saves a checkpoint and stops the run. */
    private void stopIfRequested(TrainerState state) throws IOException {
        String signal = agreedStopSignal();
        if (signal == null) return;
        boolean saved = settings.saveOnSignal() && state.globalStep > savedAt;
        if (saved) save(state);
        String where = state.globalStep == 0 ? "before the first step" : "at step " + state.globalStep;
        String checkpoint;
        if (state.globalStep == 0) checkpoint = "nothing trained yet";
        else if (saved || state.globalStep == savedAt) checkpoint = "checkpoint " + lastCheckpoint.get();
        else checkpoint = "no checkpoint saved (save_on_signal is off); the last checkpoint is " + lastCheckpoint.get();
        throw new TrainingStoppedException(signal, "stopped by SIG" + signal + " " + where + "; " + checkpoint
                + "; continue with --resume");
    }

    /**
     * The stop signal this rank received, or, in a distributed run, "TERM" when only another rank received one:
     * the ranks agree at every step boundary so that they all stop after the same step.
     */
    private String agreedStopSignal() {
        if (stopSignals == null) return null;
        String local = stopSignals.received();
        if (!distributed.isDistributed()) return local;
        try (PointerScope scope = new PointerScope()) {
            float[] stops = Tensors.toFloatArray(distributed.allReduceSum(Tensors.doubles(new double[] {local == null ? 0 : 1})));
            if (stops[0] > 0 && local == null) {
                local = "TERM";
                stopSignals.request(local);
            }
        }
        return local;
    }

    /**
     * Mean loss and metrics over the validation split, computed on rank 0 and handed to
     * {@link TrainingListener#onEvaluate}; every rank waits for it.
     */
    public Map<String, Double> evaluate(TrainerState state) throws IOException {
        if (validation.isEmpty() || !distributed.isMain()) {
            distributed.barrier();
            return Map.of();
        }
        policy.training(false);
        Map<String, Double> sums = new TreeMap<>();
        int batchSize = settings.evalBatchSize();
        for (int start = 0; start < validation.size(); start += batchSize) {
            List<Sample> batch = validation.subList(start, Math.min(validation.size(), start + batchSize));
            boolean[] swaps = objective.drawSwaps(batch.size(), new SplittableRandom(settings.seed() ^ (0x5eedL + start)));
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                ObjectiveStep.Result result = step.run(batch, swaps);
                accumulate(sums, result.output().metrics(), Tensors.item(result.output().loss()),
                        (double) batch.size() / validation.size());
            }
        }
        TrainingListener.Evaluation evaluation = new TrainingListener.Evaluation(state.globalStep, epochOf(state), sums);
        for (TrainingListener listener : listeners) listener.onEvaluate(evaluation);
        distributed.barrier();
        return sums;
    }

    /** True at every {@code interval}-th step but the last (0: never); the last step has the end of training. */
    private static boolean isEvery(int interval, long step, long total) {
        return interval > 0 && step % interval == 0 && step < total;
    }

    /** Averages the gradients over ranks, clips them if {@code max_grad_norm} is set; the norm before clipping. */
    private double averageAndClipGradients() {
        var parameters = policy.trainableParameters().values();
        distributed.allReduceGradients(parameters);
        return settings.maxGradNorm() > 0
                ? GradientClipping.clipGlobalNorm(parameters, settings.maxGradNorm())
                : GradientClipping.globalNorm(parameters);
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

    /** This rank's slice of the image-order swaps drawn for the whole global batch at {@code position}. */
    private boolean[] localSwaps(int globalSize, int localSize, BatchPosition position) {
        boolean[] swaps = objective.drawSwaps(globalSize, positionRandom(settings.seed(), position));
        int start = BatchSharding.shardStart(globalSize, distributed.rank(), distributed.worldSize());
        boolean[] out = new boolean[localSize];
        System.arraycopy(swaps, start, out, 0, localSize);
        return out;
    }

    /** Randomness of a batch (image-order swaps) is a pure function of (seed, position): nothing to save. */
    static SplittableRandom positionRandom(long seed, BatchPosition position) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + position.epoch() * 1_000_003L + position.index());
    }
}
