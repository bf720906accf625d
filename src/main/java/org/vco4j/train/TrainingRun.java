package org.vco4j.train;

import org.vco4j.data.BatchPosition;
import org.vco4j.data.DataSplit;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleBatches;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SymmetricPairs;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.objective.Objective;
import org.vco4j.objective.Objectives;
import org.vco4j.request.Condition;
import org.vco4j.request.RequestBuilder;
import org.vco4j.request.RequestValidation;
import org.vco4j.request.Response;
import org.vco4j.request.ScoreRequest;
import org.vco4j.train.distributed.BatchSharding;
import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.optim.AdamW;
import org.vco4j.train.optim.LearningRateSchedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run is made of, built from a {@link TrainConfig}: data and its batches, the policy and
 * its reference, the objective and its step, optimizer and schedule, checkpoints. Owns the loaded models
 * (native memory); close it when done.
 */
public final class TrainingRun implements AutoCloseable {
    public static final String CONFIG_FILE = "train_config.yaml";
    public static final String REFERENCE_CACHE_FILE = "reference_logps.jsonl";

    private final TrainConfig config;
    private final DistributedContext distributed;
    private final Objective objective;
    private final List<Sample> train;
    private final List<Sample> validation;
    private final List<String> dataNotes;
    private final SampleBatches batches;
    private final PolicyModel policy;
    private final CheckpointReference separateReference; // null when the reference is the adapters-off policy
    private final ReferenceLogps referenceLogps;
    private final ObjectiveStep step;
    private final AdamW optimizer;
    private final LearningRateSchedule schedule;
    private final TrainerCheckpoints checkpoints;
    private final long totalSteps;

    public TrainingRun(TrainConfig config, DistributedContext distributed) throws IOException {
        config.validate();
        this.config = config;
        this.distributed = distributed;
        this.objective = Objectives.create(config.objective);
        config.objectiveSettings.forEach(objective::set);

        List<Sample> samples = SampleReader.read(config.data);
        List<String> notes = new ArrayList<>(RequestValidation.check(objective.name(), objective.requests(), samples));
        if (readsOnePreference(objective)) {
            // A tuple holds (m: y ≻ y') and (m': y' ≻ y); single-preference objectives train on both, as the
            // IC-VCO paper's DPO baselines do.
            int before = samples.size();
            samples = SymmetricPairs.bothDirections(samples);
            if (samples.size() > before) notes.add((samples.size() - before) + " contrastive tuple(s) also train in the mirrored direction (m': y' > y)");
        }
        this.dataNotes = notes;
        DataSplit split = DataSplit.of(samples, config.valFraction, config.seed);
        this.train = split.train();
        this.validation = split.validation();
        int globalBatch = config.batchSize * distributed.worldSize();
        this.batches = new SampleBatches(train, globalBatch, config.seed);
        long stepsPerEpoch = (batches.batchesPerEpoch() + config.gradientAccumulationSteps - 1) / config.gradientAccumulationSteps;
        this.totalSteps = config.maxSteps > 0 ? config.maxSteps : stepsPerEpoch * config.numTrainEpochs;

        RequestBuilder requests = RequestBuilder.prepare(objective.requests(), samples, config.outputDir.resolve("crops"), config.seed);
        try (PretrainedVlm.ProcessorOnly inputs = PretrainedVlm.processorOnly(config.model)) {
            RequestValidation.checkLengths(requests, samples, inputs.processor(), config.data.toString());
        }

        ParameterFactory factory = config.parameterFactory();
        PolicyModel policy = null;
        CheckpointReference reference = null;
        try {
            policy = PolicyModel.create(PretrainedVlm.load(config.model, factory), config);
            ReferenceModel referenceModel = null;
            if (objective.usesReference()) {
                if (config.refModel != null) {
                    reference = new CheckpointReference(PretrainedVlm.load(config.refModel, factory),
                            ModelFingerprint.of(config.refModel, "checkpoint/" + config.precision), config.autocastDtype(), config.padToMultipleOf);
                    referenceModel = reference;
                } else if (policy.usesLora()) {
                    referenceModel = policy.adaptersOffReference(ModelFingerprint.of(config.model, "base/" + config.precision));
                } else {
                    // Full fine-tuning without --ref: a frozen second copy of the starting weights.
                    reference = new CheckpointReference(PretrainedVlm.load(config.model, factory),
                            ModelFingerprint.of(config.model, "checkpoint/" + config.precision), config.autocastDtype(), config.padToMultipleOf);
                    referenceModel = reference;
                }
            }
            this.policy = policy;
            this.separateReference = reference;
            ReferenceCache cache = referenceModel == null || config.liveReference ? null
                    : new ReferenceCache(config.outputDir.resolve(distributed.isDistributed()
                            ? "reference_logps.rank" + distributed.rank() + ".jsonl" : REFERENCE_CACHE_FILE),
                            referenceModel.fingerprint());
            this.referenceLogps = new ReferenceLogps(referenceModel, cache, config.prefixSharing,
                    Math.max(1, config.batchSize * objective.requests().size()));
            this.step = new ObjectiveStep(objective, policy.scorer(), referenceLogps, config.prefixSharing, requests);
            this.optimizer = new AdamW(policy.trainableParameters(),
                    new AdamW.Settings(config.adamBeta1, config.adamBeta2, config.adamEpsilon, config.weightDecay));
            this.schedule = LearningRateSchedule.withWarmupRatio(LearningRateSchedule.Type.fromName(config.lrSchedulerType),
                    config.learningRate, totalSteps, config.warmupRatio);
            this.checkpoints = new TrainerCheckpoints(config.outputDir.resolve("checkpoints"), policy, optimizer,
                    referenceLogps, distributed, config.objective, config.saveTotalLimit);
            distributed.broadcast(policy.trainableParameters().values(), 0);
        } catch (RuntimeException | IOException e) {
            if (policy != null) policy.close();
            if (reference != null) reference.close();
            throw e;
        }
    }

    /** True when the objective never looks at m' or y' itself (DPO, mDPO, SeVa, SFT). */
    private static boolean readsOnePreference(Objective objective) {
        return objective.requests().stream().noneMatch(r -> r.condition() == Condition.CONTRAST_IMAGE
                || r.condition().showsBothImages() || r.response().kind() == Response.Kind.Y_PRIME);
    }

    /** A fresh state at step 0. */
    public TrainerState freshState() {
        TrainerState state = new TrainerState();
        state.objective = config.objective;
        state.totalSteps = totalSteps;
        return state;
    }

    /**
     * Every score request this rank will make of the reference over the whole run (its shard of every batch,
     * with the image orders the run will draw), for the cache's first pass.
     */
    public List<ScoreRequest> referenceRequests() {
        List<ScoreRequest> all = new ArrayList<>();
        BatchPosition position = BatchPosition.START;
        for (long s = 0; s < totalSteps * config.gradientAccumulationSteps; s++) {
            List<Sample> batch = batches.batch(position);
            boolean[] swaps = objective.drawSwaps(batch.size(), Trainer.positionRandom(config.seed, position));
            int start = BatchSharding.shardStart(batch.size(), distributed.rank(), distributed.worldSize());
            List<Sample> shard = BatchSharding.shard(batch, distributed);
            all.addAll(step.scoreRequests(shard, Arrays.copyOfRange(swaps, start, start + shard.size())));
            position = batches.next(position);
        }
        return all;
    }

    public TrainConfig config() { return config; }
    public DistributedContext distributed() { return distributed; }
    public Objective objective() { return objective; }
    public List<Sample> train() { return train; }
    public List<Sample> validation() { return validation; }
    public List<String> dataNotes() { return dataNotes; }
    public SampleBatches batches() { return batches; }
    public PolicyModel policy() { return policy; }
    public ReferenceLogps referenceLogps() { return referenceLogps; }
    public ObjectiveStep step() { return step; }
    public AdamW optimizer() { return optimizer; }
    public LearningRateSchedule schedule() { return schedule; }
    public TrainerCheckpoints checkpoints() { return checkpoints; }
    public long totalSteps() { return totalSteps; }

    /** The settings that make up the report's table. */
    public Map<String, Object> settings() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("objective", config.objective);
        out.put("objective settings", String.join(", ", objective.hyperparameters().entries().stream()
                .map(e -> e.key() + "=" + e.value()).toList()));
        out.put("model", config.model.toString());
        out.put("data", config.data + " (" + train.size() + " train, " + validation.size() + " validation)");
        out.put("fine-tuning", config.finetuning.equals("lora")
                ? "LoRA r=" + config.loraR + " alpha=" + config.loraAlpha + " dropout=" + config.loraDropout : "full");
        out.put("learning rate", config.learningRate + " (" + config.lrSchedulerType + ", warmup " + config.warmupRatio + ")");
        out.put("steps", totalSteps);
        out.put("batch", config.batchSize + " per rank × " + distributed.worldSize() + " rank(s) × "
                + config.gradientAccumulationSteps + " accumulation");
        out.put("reference", !objective.usesReference() ? "none" : config.liveReference ? "live" : "cached");
        out.put("prefix sharing", config.prefixSharing);
        out.put("precision", config.precision);
        out.put("seed", config.seed);
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            referenceLogps.close();
            optimizer.close();
        } finally {
            policy.close();
            if (separateReference != null) separateReference.close();
            distributed.close();
        }
    }
}
