package org.vco4j.train;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Devices;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.vco4j.common.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a training run, with Hugging Face {@code TrainingArguments} names where one exists.
 * Read from a YAML file ({@code --config}); command-line flags override it. Saved next to the run as
 * {@code train_config.yaml} so a run can be repeated and resumed.
 */
public final class TrainConfig {
    @JsonProperty("objective") public String objective;
    @JsonProperty("model") public Path model;
    @JsonProperty("data") public Path data;
    @JsonProperty("output_dir") public Path outputDir;
    @JsonProperty("ref_model") public Path refModel;
    @JsonProperty("objective_settings") public Map<String, String> objectiveSettings = new LinkedHashMap<>();

    @JsonProperty("learning_rate") public double learningRate = 1e-5;
    @JsonProperty("num_train_epochs") public int numTrainEpochs = 1;
    @JsonProperty("max_steps") public int maxSteps = -1;
    @JsonProperty("per_device_train_batch_size") public int batchSize = 4;
    @JsonProperty("gradient_accumulation_steps") public int gradientAccumulationSteps = 1;
    @JsonProperty("warmup_ratio") public double warmupRatio = 0.05;
    @JsonProperty("lr_scheduler_type") public String lrSchedulerType = "cosine";
    @JsonProperty("weight_decay") public double weightDecay = 0.0;
    @JsonProperty("adam_beta1") public double adamBeta1 = 0.9;
    @JsonProperty("adam_beta2") public double adamBeta2 = 0.999;
    @JsonProperty("adam_epsilon") public double adamEpsilon = 1e-8;
    @JsonProperty("max_grad_norm") public double maxGradNorm = 1.0;
    @JsonProperty("seed") public long seed = 42;
    @JsonProperty("precision") public String precision = "fp32";
    @JsonProperty("device") public String device = "cpu";

    /** "lora" (adapters on the language model) or "full" (every unfrozen weight). */
    @JsonProperty("finetuning") public String finetuning = "lora";
    @JsonProperty("lora_r") public int loraR = 16;
    @JsonProperty("lora_alpha") public double loraAlpha = 32;
    @JsonProperty("lora_dropout") public double loraDropout = 0.05;
    @JsonProperty("lora_target_modules") public List<String> loraTargetModules =
            new ArrayList<>(List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"));
    @JsonProperty("freeze_vision_tower") public boolean freezeVisionTower = true;
    @JsonProperty("freeze_projector") public boolean freezeProjector = false;

    @JsonProperty("logging_steps") public int loggingSteps = 1;
    @JsonProperty("save_steps") public int saveSteps = 100;
    @JsonProperty("save_total_limit") public int saveTotalLimit = 2;
    @JsonProperty("eval_steps") public int evalSteps = 0;
    @JsonProperty("val_fraction") public double valFraction = 0.0;
    /** On SIGTERM/SIGINT, save a checkpoint at the step boundary where the run stops. */
    @JsonProperty("save_on_signal") public boolean saveOnSignal = true;

    /** Reference log-probs recomputed inside every step instead of cached once (for comparison). */
    @JsonProperty("live_reference") public boolean liveReference = false;
    /** Requests with the same images and prompt share one prefix computation. */
    @JsonProperty("prefix_sharing") public boolean prefixSharing = true;
    /** Padded widths rounded up to a multiple of this (transformers' {@code pad_to_multiple_of}); 1: to the longest row. */
    @JsonProperty("pad_to_multiple_of") public int padToMultipleOf = 1;

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** Reads a YAML file; an unknown key or a wrongly typed value is an error naming the key and line. */
    public static TrainConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such config file");
        try {
            TrainConfig config = yaml().readValue(file.toFile(), TrainConfig.class);
            return config == null ? new TrainConfig() : config;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ":" + e.getLocation().getLineNr() + ": unknown key '"
                    + e.getPropertyName() + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": " + e.getOriginalMessage());
        }
    }

    public void write(Path file) throws IOException {
        AtomicFiles.write(file, yaml().writeValueAsBytes(this));
    }

    /**
     * Settings a resumed run may change without changing what it computes (when and how it logs, saves,
     * evaluates; where it runs; how long it goes on): said, not refused.
     */
    static final java.util.Set<String> HARMLESS_ON_RESUME = java.util.Set.of("logging_steps", "save_steps",
            "save_total_limit", "eval_steps", "save_on_signal", "device", "live_reference", "prefix_sharing",
            "pad_to_multiple_of", "max_steps", "num_train_epochs");

    /** A setting that differs between the run as started and as resumed. */
    public record Change(String key, Object started, Object now, boolean harmless) {
        @Override
        public String toString() {
            return key + " " + started + " → " + now;
        }
    }

    /**
     * The settings in which this configuration differs from {@code started}, the run's {@code train_config.yaml}
     * (paths compared as absolute paths; {@code output_dir} is not compared).
     */
    public List<Change> changesFrom(TrainConfig started) {
        ObjectMapper mapper = yaml();
        @SuppressWarnings("unchecked")
        Map<String, Object> before = mapper.convertValue(started, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> after = mapper.convertValue(this, Map.class);
        Map<String, Path[]> paths = Map.of("model", new Path[] {started.model, model}, "data", new Path[] {started.data, data},
                "ref_model", new Path[] {started.refModel, refModel});
        List<Change> changes = new ArrayList<>();
        for (String key : after.keySet()) {
            if (key.equals("output_dir")) continue;
            Object was = before.get(key);
            Object is = after.get(key);
            boolean same = paths.containsKey(key)
                    ? java.util.Objects.equals(absolute(paths.get(key)[0]), absolute(paths.get(key)[1]))
                    : java.util.Objects.equals(was, is);
            if (!same) {
                Object shownWas = paths.containsKey(key) ? paths.get(key)[0] : was;
                Object shownIs = paths.containsKey(key) ? paths.get(key)[1] : is;
                changes.add(new Change(key, shownWas, shownIs, HARMLESS_ON_RESUME.contains(key)));
            }
        }
        return changes;
    }

    private static Path absolute(Path path) {
        return path == null ? null : path.toAbsolutePath().normalize();
    }

    /** Checks values that would otherwise fail late or silently, naming the setting. */
    public void validate() {
        require(objective != null, "objective", "is required");
        require(model != null, "model", "is required");
        require(data != null, "data", "is required");
        require(outputDir != null, "output_dir", "is required");
        require(learningRate > 0 && Double.isFinite(learningRate), "learning_rate", "must be > 0");
        require(numTrainEpochs >= 1 || maxSteps > 0, "num_train_epochs", "must be ≥ 1 unless max_steps is set");
        require(batchSize >= 1, "per_device_train_batch_size", "must be ≥ 1");
        require(gradientAccumulationSteps >= 1, "gradient_accumulation_steps", "must be ≥ 1");
        require(warmupRatio >= 0 && warmupRatio < 1, "warmup_ratio", "must be in [0, 1)");
        require(List.of("cosine", "linear", "constant", "constant_with_warmup").contains(lrSchedulerType), "lr_scheduler_type",
                "must be cosine, linear, constant or constant_with_warmup");
        require(weightDecay >= 0, "weight_decay", "must be ≥ 0");
        require(adamBeta1 >= 0 && adamBeta1 < 1 && adamBeta2 >= 0 && adamBeta2 < 1, "adam_beta1/adam_beta2", "must be in [0, 1)");
        require(maxGradNorm >= 0, "max_grad_norm", "must be ≥ 0 (0 turns clipping off)");
        require(List.of("fp32", "bf16", "bf16-mixed").contains(precision), "precision", "must be fp32, bf16 or bf16-mixed");
        require(List.of("lora", "full").contains(finetuning), "finetuning", "must be lora or full");
        require(loraR >= 1, "lora_r", "must be ≥ 1");
        require(padToMultipleOf >= 1, "pad_to_multiple_of", "must be ≥ 1");
        require(loraDropout >= 0 && loraDropout < 1, "lora_dropout", "must be in [0, 1)");
        require(saveSteps >= 1, "save_steps", "must be ≥ 1");
        require(loggingSteps >= 1, "logging_steps", "must be ≥ 1");
        require(evalSteps >= 0, "eval_steps", "must be ≥ 0 (0 = only at the end)");
        require(valFraction >= 0 && valFraction < 1, "val_fraction", "must be in [0, 1)");
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) throw new IllegalArgumentException("setting " + key + " " + message);
    }

    /**
     * Where and in which dtype the model's parameters live: {@link #device}, {@link #precision} ({@code bf16}:
     * bfloat16 weights; {@code fp32} and {@code bf16-mixed}: float32 weights).
     */
    public ParameterFactory parameterFactory() {
        return new ParameterFactory(Devices.parse(device), precision.equals("bf16") ? ScalarType.BFloat16 : ScalarType.Float);
    }

    /**
     * The dtype of the forward's matrix products under {@code bf16-mixed} (bfloat16, with float32 master weights,
     * optimizer state and reductions), or null when the forward runs in the parameters' dtype.
     */
    public ScalarType autocastDtype() {
        return precision.equals("bf16-mixed") ? ScalarType.BFloat16 : null;
    }
}
