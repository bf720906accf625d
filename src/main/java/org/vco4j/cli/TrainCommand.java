package org.vco4j.cli;

import org.vco4j.train.TrainConfig;
import org.vco4j.train.Training;
import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.distributed.LocalLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code vco train}: train any objective on any checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an objective (sft, dpo, mdpo, visdpo, vco, s-vco, ic-vco, jompo, seva, symmpo) on a checkpoint.",
                "Settings come from --config FILE.yaml (keys as in train_config.yaml) and the flags, which override it."})
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Settings file; flags override it.")
    Path configFile;

    @Option(names = "--objective", description = "Objective name (see 'vco objectives').") String objective;
    @Option(names = "--model", paramLabel = "DIR", description = "Hugging Face checkpoint to train.") Path model;
    @Option(names = "--data", paramLabel = "FILE.jsonl", description = "Training samples (docs/data-format.md).") Path data;
    @Option(names = "--out", paramLabel = "DIR", description = "Run folder: checkpoints, metrics, adapter, report.") Path out;
    @Option(names = "--ref", paramLabel = "DIR", description = "Reference checkpoint (default: the base with adapters off, or a frozen copy).") Path ref;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Objective hyper-parameter (repeatable), e.g. --set beta=0.2.")
    Map<String, String> objectiveSettings = new LinkedHashMap<>();

    @Option(names = "--lr", description = "Peak learning rate.") Double learningRate;
    @Option(names = "--epochs", description = "Epochs (ignored when --max-steps is set).") Integer epochs;
    @Option(names = "--max-steps", description = "Optimizer steps.") Integer maxSteps;
    @Option(names = "--batch-size", description = "Samples per rank per micro-batch.") Integer batchSize;
    @Option(names = "--grad-accum", description = "Micro-batches per optimizer step.") Integer gradientAccumulation;
    @Option(names = "--warmup-ratio", description = "Fraction of steps with linear warm-up.") Double warmupRatio;
    @Option(names = "--schedule", description = "cosine, linear, constant or constant_with_warmup.") String schedule;
    @Option(names = "--weight-decay", description = "AdamW decoupled weight decay (biases and norms excluded).") Double weightDecay;
    @Option(names = "--adam-beta1", description = "AdamW β1.") Double adamBeta1;
    @Option(names = "--adam-beta2", description = "AdamW β2.") Double adamBeta2;
    @Option(names = "--max-grad-norm", description = "Clip the global gradient norm (0 = off).") Double maxGradNorm;
    @Option(names = "--seed", description = "Seed of data order, image-order swaps, LoRA init and dropout.") Long seed;
    @Option(names = "--precision", paramLabel = "fp32|bf16|bf16-mixed", description = "fp32; bf16 (bfloat16 weights); "
            + "bf16-mixed (float32 master weights, optimizer state and reductions; bfloat16 matrix products).") String precision;
    @Option(names = "--device", description = "cpu, cuda or cuda:N.") String device;

    @Option(names = "--full", description = "Full fine-tuning instead of LoRA.") Boolean full;
    @Option(names = "--lora-r", description = "LoRA rank.") Integer loraR;
    @Option(names = "--lora-alpha", description = "LoRA alpha (scaling alpha / r).") Double loraAlpha;
    @Option(names = "--lora-dropout", description = "Dropout on the LoRA input.") Double loraDropout;
    @Option(names = "--lora-targets", split = ",", description = "Linear layers that get adapters (default q,k,v,o,gate,up,down projections).")
    List<String> loraTargets;
    @Option(names = "--train-vision-tower", description = "With --full: also train the vision tower.") Boolean trainVisionTower;
    @Option(names = "--freeze-projector", description = "With --full: keep the projector frozen.") Boolean freezeProjector;

    @Option(names = "--logging-steps", description = "Write a metrics line every N steps.") Integer loggingSteps;
    @Option(names = "--save-steps", description = "Checkpoint every N steps.") Integer saveSteps;
    @Option(names = "--save-total-limit", description = "Checkpoints to keep.") Integer saveTotalLimit;
    @Option(names = "--eval-steps", description = "Evaluate on the validation split every N steps (0 = at the end only).") Integer evalSteps;
    @Option(names = "--val-fraction", description = "Fraction of samples held out for validation.") Double valFraction;
    @Option(names = "--live-reference", description = "Recompute reference log-probs inside every step instead of caching them.") Boolean liveReference;
    @Option(names = "--no-prefix-sharing", description = "Recompute images and prompt for every response.") Boolean noPrefixSharing;
    @Option(names = "--pad-to-multiple-of", paramLabel = "N",
            description = "Round padded widths up to a multiple of N, so steps reuse a few shapes (e.g. 64 on a GPU; default 1).")
    Integer padToMultipleOf;

    @Option(names = "--save-on-signal", negatable = true, description = "On SIGTERM/SIGINT, stop at the step boundary and save a checkpoint there (default: on).")
    Boolean saveOnSignal;

    @Option(names = "--resume", description = "Continue the run in --out from its latest checkpoint.") boolean resume;
    @Option(names = "--nproc", defaultValue = "1", description = "Launch this many local ranks (distributed data parallel).") int nproc;

    @Override
    public Integer call() throws Exception {
        if (nproc > 1) return LocalLauncher.launch(nproc, withoutNproc(), VcoCommand.class);
        if (nproc < 1) throw new IllegalArgumentException("--nproc must be ≥ 1");
        TrainConfig config = configuration();
        try (DistributedContext distributed = DistributedContext.fromEnvironment()) {
            Training.Outcome outcome = Training.run(config, distributed, resume);
            if (distributed.isMain()) {
                System.out.println("trained " + config.objective + " for " + outcome.state().globalStep + " steps");
                System.out.println("  weights: " + outcome.weights());
                System.out.println("  metrics: " + outcome.metrics());
                System.out.println("  report:  " + outcome.report());
            }
        }
        return 0;
    }

    TrainConfig configuration() throws java.io.IOException {
        TrainConfig c = configFile == null ? new TrainConfig() : TrainConfig.read(configFile);
        if (resume && configFile == null && out != null && java.nio.file.Files.exists(out.resolve("train_config.yaml"))) {
            c = TrainConfig.read(out.resolve("train_config.yaml"));
        }
        if (objective != null) c.objective = objective;
        if (model != null) c.model = model;
        if (data != null) c.data = data;
        if (out != null) c.outputDir = out;
        if (ref != null) c.refModel = ref;
        c.objectiveSettings.putAll(objectiveSettings);
        if (learningRate != null) c.learningRate = learningRate;
        if (epochs != null) c.numTrainEpochs = epochs;
        if (maxSteps != null) c.maxSteps = maxSteps;
        if (batchSize != null) c.batchSize = batchSize;
        if (gradientAccumulation != null) c.gradientAccumulationSteps = gradientAccumulation;
        if (warmupRatio != null) c.warmupRatio = warmupRatio;
        if (schedule != null) c.lrSchedulerType = schedule;
        if (weightDecay != null) c.weightDecay = weightDecay;
        if (adamBeta1 != null) c.adamBeta1 = adamBeta1;
        if (adamBeta2 != null) c.adamBeta2 = adamBeta2;
        if (maxGradNorm != null) c.maxGradNorm = maxGradNorm;
        if (seed != null) c.seed = seed;
        if (precision != null) c.precision = precision;
        if (device != null) c.device = device;
        if (Boolean.TRUE.equals(full)) c.finetuning = "full";
        if (loraR != null) c.loraR = loraR;
        if (loraAlpha != null) c.loraAlpha = loraAlpha;
        if (loraDropout != null) c.loraDropout = loraDropout;
        if (loraTargets != null) c.loraTargetModules = new ArrayList<>(loraTargets);
        if (Boolean.TRUE.equals(trainVisionTower)) c.freezeVisionTower = false;
        if (Boolean.TRUE.equals(freezeProjector)) c.freezeProjector = true;
        if (loggingSteps != null) c.loggingSteps = loggingSteps;
        if (saveSteps != null) c.saveSteps = saveSteps;
        if (saveTotalLimit != null) c.saveTotalLimit = saveTotalLimit;
        if (evalSteps != null) c.evalSteps = evalSteps;
        if (valFraction != null) c.valFraction = valFraction;
        if (Boolean.TRUE.equals(liveReference)) c.liveReference = true;
        if (Boolean.TRUE.equals(noPrefixSharing)) c.prefixSharing = false;
        if (padToMultipleOf != null) c.padToMultipleOf = padToMultipleOf;
        if (saveOnSignal != null) c.saveOnSignal = saveOnSignal;
        c.validate();
        return c;
    }

    private List<String> withoutNproc() {
        List<String> args = new ArrayList<>(List.of(spec.commandLine().getParseResult().originalArgs().toArray(new String[0])));
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--nproc")) {
                args.remove(i + 1);
                args.remove(i);
                break;
            }
            if (args.get(i).startsWith("--nproc=")) {
                args.remove(i);
                break;
            }
        }
        return args;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
}
