package org.vco4j.train.optim;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.common.Json;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Adam with decoupled weight decay, computing exactly what {@code torch.optim.AdamW} does on the CPU
 * (its single-tensor path, without amsgrad or maximize), with the same operations in the same order:
 *
 * <pre>
 *   step += 1
 *   p    ← p · (1 − lr·wd)                                   (only for parameters that decay)
 *   m    ← lerp(m, g, 1 − β1)
 *   v    ← β2·v + (1 − β2)·g·g
 *   denom = sqrt(v) / sqrt(1 − β2^step) + eps
 *   p    ← p − lr / (1 − β1^step) · m / denom
 * </pre>
 *
 * <p>Parameters are given by name (trainable ones only); a predicate on the name says which decay, so that
 * biases and norm weights can be left out ({@link #decaysByDefault}, the Hugging Face Trainer's rule). A
 * parameter whose gradient is undefined is skipped and its step count does not advance, as in torch.
 *
 * <p>Owns native memory: the moment estimates are retained so they outlive the pointer scope of the step
 * that created them, and are released by {@link #close()}. The parameter tensors stay owned by the caller
 * (normally the model) and must outlive this optimizer. {@link #save} and {@link #load} store the state
 * in a safetensors file so a resumed run continues bit for bit.
 */
public final class AdamW implements AutoCloseable {
    static final String FORMAT = "vco4j.adamw";
    private static final String EXP_AVG = "exp_avg/";
    private static final String EXP_AVG_SQ = "exp_avg_sq/";
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Hyperparameters other than the learning rate, which the schedule supplies at every step. */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1): " + beta1);
            if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1): " + beta2);
            if (!(epsilon >= 0)) throw new IllegalArgumentException("epsilon must be >= 0: " + epsilon);
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0: " + weightDecay);
        }

        /** torch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
        public static Settings defaults() {
            return new Settings(0.9, 0.999, 1e-8, 0.01);
        }

        /** These settings with another weight decay. */
        public Settings withWeightDecay(double value) {
            return new Settings(beta1, beta2, epsilon, value);
        }
    }

    private final Map<String, Tensor> parameters;
    private final Settings settings;
    private final Predicate<String> decays;
    private final Map<String, State> state = new LinkedHashMap<>();

    /** As {@link #AdamW(Map, Settings, Predicate)} with the Hugging Face Trainer's decay rule. */
    public AdamW(Map<String, Tensor> parameters, Settings settings) {
        this(parameters, settings, AdamW::decaysByDefault);
    }

    /**
     * @param parameters trainable parameters by name, in the order they are updated; the map is copied
     * @param decays which parameter names receive weight decay
     */
    public AdamW(Map<String, Tensor> parameters, Settings settings, Predicate<String> decays) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.settings = settings;
        this.decays = decays;
        Tensor[] seen = new Tensor[this.parameters.size()];
        String[] seenNames = new String[seen.length];
        int n = 0;
        for (Map.Entry<String, Tensor> e : this.parameters.entrySet()) {
            Tensor p = e.getValue();
            if (p == null || p.isNull() || !p.defined()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is null or undefined");
            }
            if (!p.is_floating_point()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " has dtype " + p.scalar_type().intern()
                        + "; only floating-point parameters can be optimized");
            }
            // The same tensor under two names (tied weights) would be updated twice per step.
            for (int i = 0; i < n; i++) {
                if (seen[i].is_same(p)) {
                    throw new IllegalArgumentException("parameters " + seenNames[i] + " and " + e.getKey()
                            + " are the same tensor; pass it once");
                }
            }
            seen[n] = p;
            seenNames[n++] = e.getKey();
        }
    }

    /**
     * The Hugging Face Trainer's rule, by name only: no decay for biases and normalization weights.
     * The Trainer excludes names containing "bias", "layernorm" or "rmsnorm" and every parameter of a
     * LayerNorm module; a name containing "norm" covers the latter for the families here ({@code
     * input_layernorm}, {@code model.norm}, CLIP's {@code layer_norm1} and {@code pre_layrnorm}, Qwen2-VL's
     * {@code norm1}). Case-insensitive, as the Trainer's.
     */
    public static boolean decaysByDefault(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !lower.contains("bias") && !lower.contains("norm");
    }

    /** The hyperparameters. */
    public Settings settings() {
        return settings;
    }

    /** Whether parameter {@code name} receives weight decay. */
    public boolean decays(String name) {
        requireKnown(name);
        return decays.test(name);
    }

    /** How many updates parameter {@code name} has received (0 before its first gradient). */
    public long steps(String name) {
        requireKnown(name);
        State s = state.get(name);
        return s == null ? 0 : s.step;
    }

    /** Applies one update with learning rate {@code learningRate} to every parameter that has a gradient. */
    public void step(double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0: " + learningRate);
        }
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope scope = new PointerScope()) {
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                Tensor p = e.getValue();
                Tensor grad = p.grad();
                if (grad == null || grad.isNull() || !grad.defined()) continue;
                if (grad.is_sparse()) throw new IllegalArgumentException("parameter " + e.getKey() + " has a sparse gradient");
                State s = state.computeIfAbsent(e.getKey(), name -> State.zerosLike(p));
                s.step++;
                double weightDecay = decays.test(e.getKey()) ? settings.weightDecay() : 0;
                if (weightDecay != 0) p.mul_(new Scalar(1 - learningRate * weightDecay));
                s.expAvg.lerp_(grad, new Scalar(1 - beta1));
                s.expAvgSq.mul_(new Scalar(beta2)).addcmul_(grad, grad, new Scalar(1 - beta2));
                // Python evaluates these in double with pow(); the step count is exact in torch's float32 step tensor.
                double biasCorrection1 = 1 - Math.pow(beta1, s.step);
                double biasCorrection2 = 1 - Math.pow(beta2, s.step);
                double stepSize = learningRate / biasCorrection1;
                double biasCorrection2Sqrt = Math.pow(biasCorrection2, 0.5);
                Tensor denom = s.expAvgSq.sqrt().div(new Scalar(biasCorrection2Sqrt)).add_(new Scalar(settings.epsilon()));
                p.addcdiv_(s.expAvg, denom, new Scalar(-stepSize));
            }
        }
    }

    /** Sets every parameter's gradient to undefined, as torch's {@code zero_grad(set_to_none=True)}. */
    public void zeroGrad() {
        try (PointerScope scope = new PointerScope()) {
            // mutable_grad() is the gradient slot itself, so resetting it drops the gradient.
            for (Tensor p : parameters.values()) p.mutable_grad().reset();
        }
    }

    /**
     * Writes the state to {@code file} (replaced atomically): tensors {@code exp_avg/<name>} and {@code
     * exp_avg_sq/<name>} for every parameter updated so far, and in the metadata the step counts and
     * hyperparameters.
     */
    public void save(Path file) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, Long> steps = new TreeMap<>();
            for (Map.Entry<String, State> e : state.entrySet()) {
                tensors.put(EXP_AVG + e.getKey(), e.getValue().expAvg);
                tensors.put(EXP_AVG_SQ + e.getKey(), e.getValue().expAvgSq);
                steps.put(e.getKey(), e.getValue().step);
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", FORMAT);
            metadata.put("beta1", Double.toString(settings.beta1()));
            metadata.put("beta2", Double.toString(settings.beta2()));
            metadata.put("epsilon", Double.toString(settings.epsilon()));
            metadata.put("weight_decay", Double.toString(settings.weightDecay()));
            metadata.put("steps", JSON.writeValueAsString(steps));
            SafetensorsWriter.write(file, tensors, metadata);
        }
    }

    /**
     * Replaces the state with the one {@link #save} wrote to {@code file}. Parameters the file has no state
     * for start afresh, as they would have in the saved run.
     *
     * @throws IllegalArgumentException when the file was not written by this class, was written with other
     *     hyperparameters, or holds state for a parameter this optimizer does not have or of another shape;
     *     the current state is left untouched
     */
    public void load(Path file) throws IOException {
        Map<String, State> loaded = new LinkedHashMap<>();
        try (SafetensorsFile in = SafetensorsFile.open(file); PointerScope scope = new PointerScope()) {
            Map<String, String> metadata = in.metadata();
            if (!FORMAT.equals(metadata.get("format"))) {
                throw new IllegalArgumentException(file + ": not an AdamW state file (format " + metadata.get("format") + ")");
            }
            checkSetting(file, metadata, "beta1", settings.beta1());
            checkSetting(file, metadata, "beta2", settings.beta2());
            checkSetting(file, metadata, "epsilon", settings.epsilon());
            checkSetting(file, metadata, "weight_decay", settings.weightDecay());
            Map<String, Long> steps = JSON.readValue(metadata.getOrDefault("steps", "{}"), new TypeReference<>() {});
            if (in.names().size() != 2 * steps.size()) {
                throw new IllegalArgumentException(file + ": holds " + in.names().size() + " tensors for "
                        + steps.size() + " parameters; expected two each");
            }
            try {
                for (Map.Entry<String, Long> e : steps.entrySet()) {
                    String name = e.getKey();
                    Tensor p = parameters.get(name);
                    if (p == null) throw new IllegalArgumentException(file + ": state for unknown parameter " + name);
                    State s = new State(like(p, in.load(EXP_AVG + name), file, name), like(p, in.load(EXP_AVG_SQ + name), file, name));
                    loaded.put(name, s);
                    s.step = e.getValue();
                    if (s.step < 1) throw new IllegalArgumentException(file + ": parameter " + name + " has step " + s.step);
                }
            } catch (IOException | RuntimeException ex) {
                loaded.values().forEach(State::close);
                throw ex;
            }
        }
        state.values().forEach(State::close);
        state.clear();
        state.putAll(loaded);
    }

    private static Tensor like(Tensor parameter, Tensor stored, Path file, String name) {
        if (!Arrays.equals(Tensors.shape(parameter), Tensors.shape(stored))) {
            throw new IllegalArgumentException(file + ": state of " + name + " has shape " + Arrays.toString(Tensors.shape(stored))
                    + " but the parameter has " + Arrays.toString(Tensors.shape(parameter)));
        }
        return stored.to(parameter.device(), parameter.scalar_type()).contiguous();
    }

    private static void checkSetting(Path file, Map<String, String> metadata, String key, double expected) {
        String stored = metadata.get(key);
        if (stored == null || Double.parseDouble(stored) != expected) {
            throw new IllegalArgumentException(file + ": saved with " + key + " = " + stored + " but this optimizer has "
                    + expected + "; a resumed run must use the same settings");
        }
    }

    private void requireKnown(String name) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException("no parameter " + name);
    }

    /** Releases the moment estimates. */
    @Override
    public void close() {
        state.values().forEach(State::close);
        state.clear();
    }

    /** One parameter's step count and moment estimates, retained beyond any pointer scope. */
    private static final class State {
        final Tensor expAvg;
        final Tensor expAvgSq;
        long step;

        State(Tensor expAvg, Tensor expAvgSq) {
            this.expAvg = expAvg;
            this.expAvgSq = expAvgSq;
            expAvg.retainReference();
            expAvgSq.retainReference();
        }

        static State zerosLike(Tensor parameter) {
            return new State(torch.zeros_like(parameter), torch.zeros_like(parameter));
        }

        void close() {
            expAvg.releaseReference();
            expAvgSq.releaseReference();
        }
    }
}
