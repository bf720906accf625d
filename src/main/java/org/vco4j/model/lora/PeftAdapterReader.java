package org.vco4j.model.lora;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.ModelFamilies;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsDType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a PEFT LoRA adapter folder against a model and checks it completely before anything is
 * attached: every tensor is a {@code lora_A}/{@code lora_B} weight of a Linear layer the config's
 * {@code target_modules} selects, every selected layer has both, and every shape fits the layer and
 * {@code r}. Keys may carry an adapter name ({@code lora_A.default.weight}) and may use any key layout
 * a model family accepts (e.g. LLaVA's {@code language_model.model.layers…} from before
 * transformers 4.52).
 */
final class PeftAdapterReader {
    private static final Set<SafetensorsDType> FLOATING = Set.of(SafetensorsDType.F16, SafetensorsDType.BF16,
            SafetensorsDType.F32, SafetensorsDType.F64);

    private PeftAdapterReader() {}

    /** What an adapter folder holds: its config and, per layer (current module path), its A and B as float32. */
    record Adapter(LoraConfig config, Map<String, Tensor[]> weights) {}

    /** The tensors' keys for one layer, as written in the file. */
    private static final class LayerKeys {
        String rawPath;
        String a;
        String b;
    }

    static Adapter read(Path dir, Module root) {
        if (!Files.isDirectory(dir)) throw new ModelLoadException(dir + ": not an adapter folder (no such directory)");
        Path configFile = dir.resolve(AdapterConfigFile.FILE_NAME);
        if (!Files.isRegularFile(configFile)) throw new ModelLoadException(configFile + ": not found");
        LoraConfig config = AdapterConfigFile.read(configFile);
        Path weightsFile = dir.resolve(LoraAdapters.WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile) && Files.isRegularFile(dir.resolve("adapter_model.bin"))) {
            throw new ModelLoadException(dir.resolve("adapter_model.bin") + ": pickled PyTorch adapters are not read; "
                    + "save the adapter with safe_serialization=True (adapter_model.safetensors)");
        }
        Map<String, Linear> layers = LoraAdapters.linearLayers(root);
        try (SafetensorsCheckpoint file = SafetensorsCheckpoint.open(dir, LoraAdapters.WEIGHTS_FILE)) {
            Map<String, LayerKeys> keys = matchKeys(file, weightsFile, config, layers);
            checkComplete(keys, weightsFile, config, layers);
            checkShapes(file, keys, weightsFile, config, layers);
            Map<String, Tensor[]> weights = new LinkedHashMap<>();
            for (Map.Entry<String, LayerKeys> e : keys.entrySet()) {
                weights.put(e.getKey(), new Tensor[] {
                        file.load(e.getValue().a, ScalarType.Float), file.load(e.getValue().b, ScalarType.Float)});
            }
            return new Adapter(config, weights);
        } catch (IOException e) {
            throw new ModelLoadException(weightsFile + ": " + e.getMessage(), e);
        }
    }

    /** Layer (current module path, in model order) → its keys; every key must name a selected Linear layer. */
    private static Map<String, LayerKeys> matchKeys(SafetensorsCheckpoint file, Path weightsFile, LoraConfig config,
                                                    Map<String, Linear> layers) {
        Map<String, LayerKeys> found = new LinkedHashMap<>();
        for (String key : file.names()) {
            PeftKeys.Key parsed = PeftKeys.parse(key);
            if (parsed == null) {
                throw new ModelLoadException(weightsFile + ": tensor '" + key + "' is not a LoRA weight of a Linear layer "
                        + "(expected base_model.model.<module>.lora_A.weight or .lora_B.weight)");
            }
            String path = resolve(parsed.modulePath(), layers);
            if (path == null) {
                throw new ModelLoadException(weightsFile + ": tensor '" + key + "' belongs to layer '" + parsed.modulePath()
                        + "', which is not a Linear layer of this model (an adapter for another base model?)");
            }
            if (!config.targetModules().matches(path) && !config.targetModules().matches(parsed.modulePath())) {
                throw new ModelLoadException(weightsFile + ": tensor '" + key + "' adapts layer '" + path
                        + "', which target_modules '" + config.targetModules().pattern() + "' in " + AdapterConfigFile.FILE_NAME
                        + " does not select");
            }
            LayerKeys layer = found.computeIfAbsent(path, p -> new LayerKeys());
            layer.rawPath = parsed.modulePath();
            boolean isA = parsed.matrix().equals(PeftKeys.LORA_A);
            String previous = isA ? layer.a : layer.b;
            if (previous != null) {
                throw new ModelLoadException(weightsFile + ": tensors '" + previous + "' and '" + key + "' are both "
                        + parsed.matrix() + " of layer '" + path + "' (two adapters in one file?)");
            }
            if (isA) layer.a = key;
            else layer.b = key;
        }
        Map<String, LayerKeys> inModelOrder = new LinkedHashMap<>();
        for (String path : layers.keySet()) if (found.containsKey(path)) inModelOrder.put(path, found.get(path));
        return inModelOrder;
    }

    /** The current module path of a layer named in the file: as written, or through a family's key layouts. */
    private static String resolve(String rawPath, Map<String, Linear> layers) {
        if (layers.containsKey(rawPath)) return rawPath;
        for (ModelFamily family : ModelFamilies.all()) {
            String name = family.moduleName(rawPath + ".weight");
            if (name != null && name.endsWith(".weight")) {
                String path = name.substring(0, name.length() - ".weight".length());
                if (layers.containsKey(path)) return path;
            }
        }
        return null;
    }

    private static void checkComplete(Map<String, LayerKeys> keys, Path weightsFile, LoraConfig config, Map<String, Linear> layers) {
        List<String> missing = new ArrayList<>();
        for (String path : layers.keySet()) {
            LayerKeys layer = keys.get(path);
            if (layer == null) {
                if (config.targetModules().matches(path)) missing.add(PeftKeys.key(path, PeftKeys.LORA_A));
                continue;
            }
            if (layer.a == null) missing.add(PeftKeys.key(layer.rawPath, PeftKeys.LORA_A));
            if (layer.b == null) missing.add(PeftKeys.key(layer.rawPath, PeftKeys.LORA_B));
        }
        if (keys.isEmpty() && missing.isEmpty()) {
            throw new ModelLoadException(weightsFile + ": no LoRA weights, and target_modules '" + config.targetModules().pattern()
                    + "' selects no Linear layer of this model");
        }
        if (!missing.isEmpty()) {
            throw new ModelLoadException(weightsFile + " is missing " + missing.size() + " tensor(s) for layers that target_modules '"
                    + config.targetModules().pattern() + "' selects: "
                    + String.join(", ", missing.subList(0, Math.min(8, missing.size()))) + (missing.size() > 8 ? ", …" : ""));
        }
    }

    private static void checkShapes(SafetensorsCheckpoint file, Map<String, LayerKeys> keys, Path weightsFile, LoraConfig config,
                                    Map<String, Linear> layers) {
        for (Map.Entry<String, LayerKeys> e : keys.entrySet()) {
            Linear layer = layers.get(e.getKey());
            checkShape(file, weightsFile, e.getValue().a, new long[] {config.r(), layer.inFeatures}, e.getKey(), config.r());
            checkShape(file, weightsFile, e.getValue().b, new long[] {layer.outFeatures, config.r()}, e.getKey(), config.r());
        }
    }

    private static void checkShape(SafetensorsCheckpoint file, Path weightsFile, String key, long[] expected, String path, int r) {
        long[] found = file.info(key).shape();
        if (!Arrays.equals(found, expected)) {
            throw new ModelLoadException(weightsFile + ": tensor '" + key + "' has shape " + Arrays.toString(found) + " but layer '"
                    + path + "' with r = " + r + " needs " + Arrays.toString(expected));
        }
        SafetensorsDType dtype = file.info(key).dtype();
        if (!FLOATING.contains(dtype)) {
            throw new ModelLoadException(weightsFile + ": tensor '" + key + "' has dtype " + dtype.code() + ", not a floating-point type");
        }
    }
}
