package org.vco4j.model.lora;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.AtomicFolder;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LoRA adapters on a model's Linear layers, in PEFT's layout: each adapted layer gets children
 * {@code lora_A} and {@code lora_B}, so their parameters are named {@code <layer>.lora_A.weight} as in a
 * saved PEFT adapter. The base weights are frozen; the adapter weights are the trainable parameters.
 *
 * <p>Switching the adapters off ({@link #setEnabled}) makes every adapted layer return exactly its
 * base output, so the same model in memory serves as the frozen reference. Dropout on the adapters'
 * inputs runs only in training mode ({@link #training(boolean)}), with masks from a generator seeded by
 * the seed given here (see {@link #reseedDropout} and {@link #dropoutState} for resuming).
 *
 * <p>Owns native memory: the dropout generator; close it. The adapter weights belong to the model tree
 * and are freed with it (or by {@link #merge}).
 */
public final class LoraAdapters implements AutoCloseable {
    public static final String CONFIG_FILE = AdapterConfigFile.FILE_NAME;
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private final LoraConfig config;
    private final Map<String, Linear> layers;
    private final LoraDropout dropout;
    private boolean enabled = true;
    private boolean training;
    private boolean merged;

    private LoraAdapters(LoraConfig config, Map<String, Linear> layers, long seed) {
        this.config = config;
        this.layers = layers;
        this.dropout = new LoraDropout(config.dropout(), seed);
    }

    /**
     * Adds fresh adapters to every Linear layer of {@code root} that {@code config.targetModules()} selects:
     * {@code lora_A} kaiming-uniform (a = √5, i.e. U(±1/√in)) as PEFT initialises it, drawn from a generator
     * seeded by (seed, layer path); {@code lora_B} zero, so the model computes exactly what it did before.
     * Freezes every other parameter of {@code root}.
     */
    public static LoraAdapters attach(Module root, LoraConfig config, long seed) {
        Map<String, Linear> targets = new LinkedHashMap<>();
        linearLayers(root).forEach((path, layer) -> {
            if (config.targetModules().matches(path)) targets.put(path, layer);
        });
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("target modules '" + config.targetModules().pattern()
                    + "' select no Linear layer of the model");
        }
        try (PointerScope scope = new PointerScope()) {
            LoraAdapters adapters = new LoraAdapters(config, targets, seed);
            adapters.attachLayers(root);
            try (NoGradGuard noGrad = new NoGradGuard()) {
                adapters.layers.forEach((path, layer) -> {
                    Tensor a = ((LoraLayer) layer.adapter()).a();
                    a.copy_(kaimingUniform(a, seed, path));
                });
            }
            return adapters;
        }
    }

    /** As {@link #load(Path, Module, long)} with dropout seed 0. */
    public static LoraAdapters load(Path dir, Module root) {
        return load(dir, root, 0);
    }

    /**
     * Reads a PEFT LoRA adapter folder ({@value #CONFIG_FILE}, {@value #WEIGHTS_FILE}), checks it
     * against {@code root} and attaches it, trainable and enabled, the base frozen; nothing is attached
     * when a check fails.
     *
     * @throws org.vco4j.model.ModelLoadException naming the file and tensor for a missing or misshapen
     *     tensor, a layer the model lacks or target_modules does not select, or a PEFT setting not supported
     */
    public static LoraAdapters load(Path dir, Module root, long seed) {
        try (PointerScope scope = new PointerScope()) {
            PeftAdapterReader.Adapter read = PeftAdapterReader.read(dir, root);
            Map<String, Linear> all = linearLayers(root);
            Map<String, Linear> targets = new LinkedHashMap<>();
            for (String path : read.weights().keySet()) targets.put(path, all.get(path));
            LoraAdapters adapters = new LoraAdapters(read.config(), targets, seed);
            adapters.attachLayers(root);
            try (NoGradGuard noGrad = new NoGradGuard()) {
                targets.forEach((path, layer) -> {
                    LoraLayer lora = (LoraLayer) layer.adapter();
                    lora.a().copy_(read.weights().get(path)[0]);
                    lora.b().copy_(read.weights().get(path)[1]);
                });
            }
            return adapters;
        }
    }

    /** Puts a fresh adapter on every layer; closes this object and changes nothing if any layer already has one. */
    private void attachLayers(Module root) {
        for (Linear layer : layers.values()) {
            if (layer.adapter() != null) {
                close();
                throw new IllegalStateException("the model already has adapters; merge them or load a fresh model");
            }
        }
        root.requiresGrad(false);
        layers.values().forEach(layer -> layer.setAdapter(new LoraLayer(layer, config.r(), config.scaling(), this)));
        trainableParameters().values().forEach(t -> t.requires_grad_(true));
    }

    /** Every Linear layer of the tree by module path, adapter layers (lora_A, lora_B) excluded. */
    static Map<String, Linear> linearLayers(Module root) {
        Map<String, Linear> out = new LinkedHashMap<>();
        Map<String, Module> modules = root.namedModules();
        modules.forEach((path, module) -> {
            int dot = path.lastIndexOf('.');
            // A Linear's only children are its adapter's parts.
            boolean isAdapterPart = dot >= 0 && modules.get(path.substring(0, dot)) instanceof Linear;
            if (module instanceof Linear linear && !isAdapterPart) out.put(path, linear);
        });
        return out;
    }

    /** U(−1/√in, 1/√in): kaiming_uniform_ with a = √5, whose gain √(2 / (1 + 5)) cancels the bound's √3. */
    private static Tensor kaimingUniform(Tensor a, long seed, String path) {
        long[] shape = Tensors.shape(a);
        double bound = 1 / Math.sqrt(shape[1]);
        SplittableRandom random = new SplittableRandom(Seeds.forName(seed, path));
        float[] values = new float[(int) a.numel()];
        for (int i = 0; i < values.length; i++) values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        return Tensors.upload(Tensors.floats(values, shape), a.device(), a.scalar_type());
    }

    public LoraConfig config() {
        return config;
    }

    /** Module paths of the adapted layers, in model order. */
    public List<String> layerPaths() {
        checkAttached();
        return List.copyOf(layers.keySet());
    }

    /** The adapter of the layer at {@code path}. */
    public LoraLayer layer(String path) {
        checkAttached();
        Linear layer = layers.get(path);
        if (layer == null) throw new IllegalArgumentException("no adapter on layer '" + path + "'");
        return (LoraLayer) layer.adapter();
    }

    /** The trainable parameters, {@code <layer>.lora_A.weight} and {@code <layer>.lora_B.weight}, in model order. */
    public Map<String, Tensor> trainableParameters() {
        checkAttached();
        Map<String, Tensor> out = new LinkedHashMap<>();
        layers.forEach((path, layer) -> {
            LoraLayer lora = (LoraLayer) layer.adapter();
            out.put(path + "." + PeftKeys.LORA_A + ".weight", lora.a());
            out.put(path + "." + PeftKeys.LORA_B + ".weight", lora.b());
        });
        return Collections.unmodifiableMap(out);
    }

    public boolean enabled() {
        return enabled;
    }

    /** Off: every adapted layer returns its base output unchanged (the reference model). On by default. */
    public void setEnabled(boolean enabled) {
        checkAttached();
        this.enabled = enabled;
    }

    public boolean isTraining() {
        return training;
    }

    /** Training mode applies {@code lora_dropout}; evaluation mode (the default) does not. */
    public void training(boolean training) {
        checkAttached();
        this.training = training;
    }

    /**
     * Restarts the dropout masks at a point fixed by (seed, step). A trainer that calls this at the start
     * of every optimizer step gets the same masks after resuming at that step, with nothing to save.
     */
    public void reseedDropout(long step) {
        dropout.reseed(step);
    }

    /** The dropout generator's state, for a checkpoint that must continue the exact mask sequence. */
    public byte[] dropoutState() {
        return dropout.state();
    }

    /** Continues the mask sequence from a {@link #dropoutState()}. */
    public void restoreDropoutState(byte[] state) {
        dropout.restore(state);
    }

    /** The adapters' input with dropout's zeros while training, not yet rescaled ({@link #dropoutRescale()}). */
    Tensor dropoutIfTraining(Tensor x) {
        return training ? dropout.zeroed(x) : x;
    }

    /** The scale inverted dropout owes the kept elements of {@link #dropoutIfTraining}'s result (1 outside training). */
    double dropoutRescale() {
        return training ? dropout.rescale() : 1;
    }

    /**
     * Writes the adapter as PEFT saves it: {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE} with keys
     * {@code base_model.model.<layer>.lora_A.weight}. The folder is written whole and renamed into place;
     * an existing folder is replaced only when it is empty or holds an earlier adapter.
     *
     * @param baseModelPath recorded as {@code base_model_name_or_path} (a hub id or a folder); may be null
     */
    public void save(Path dir, String baseModelPath) throws IOException {
        checkAttached();
        boolean earlierAdapter = Files.isRegularFile(dir.resolve(CONFIG_FILE));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        layers.forEach((path, layer) -> {
            LoraLayer lora = (LoraLayer) layer.adapter();
            tensors.put(PeftKeys.key(path, PeftKeys.LORA_A), lora.a());
            tensors.put(PeftKeys.key(path, PeftKeys.LORA_B), lora.b());
        });
        AtomicFolder.write(dir, earlierAdapter, staging -> {
            AdapterConfigFile.write(staging.resolve(CONFIG_FILE), config, baseModelPath);
            SafetensorsWriter.write(staging.resolve(WEIGHTS_FILE), tensors, SafetensorsCheckpointWriter.TRANSFORMERS_METADATA);
        });
    }

    /**
     * Folds each adapter into its base layer, {@code W ← W + scaling · B · A} (computed in float32, added
     * in the weight's dtype), and removes the adapters, whether they are enabled or not. The model then
     * computes with its own weights what it computed with adapters on; this object is spent.
     */
    public void merge() {
        checkAttached();
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Linear layer : layers.values()) {
                Tensor delta = ((LoraLayer) layer.adapter()).deltaWeight();
                layer.weight().add_(delta.to(layer.weight().scalar_type()));
                layer.removeAdapter();
            }
        }
        merged = true;
    }

    private void checkAttached() {
        if (merged) throw new IllegalStateException("the adapters were merged into the model");
    }

    @Override
    public void close() {
        dropout.close();
    }
}
