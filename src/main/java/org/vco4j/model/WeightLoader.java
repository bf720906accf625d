package org.vco4j.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Copies checkpoint tensors into a module's parameters, walking the module's own (Hugging Face) names.
 * Checks every parameter before copying any, so a bad checkpoint never leaves a half-loaded model.
 */
public final class WeightLoader {
    private WeightLoader() {}

    /**
     * @param toModuleName maps a checkpoint key to the module's name for it, or null for keys that carry
     *                     no parameter (e.g. {@code rotary_emb.inv_freq} buffers of older exports)
     * @return checkpoint keys that matched no parameter (reported, not fatal)
     */
    public static List<String> load(Module module, WeightSource source, Function<String, String> toModuleName) {
        Map<String, String> checkpointKeyFor = new HashMap<>();
        List<String> unused = new ArrayList<>();
        for (String key : new TreeSet<>(source.names())) {
            String name = toModuleName.apply(key);
            if (name == null) continue;
            String previous = checkpointKeyFor.put(name, key);
            if (previous != null) {
                throw new ModelLoadException(source.describe() + ": tensors '" + previous + "' and '" + key
                        + "' both map to parameter '" + name + "' (mixed key layouts?)");
            }
        }
        Map<String, Tensor> parameters = module.namedParameters();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            String key = checkpointKeyFor.get(e.getKey());
            if (key == null) {
                missing.add(e.getKey());
                continue;
            }
            long[] expected = e.getValue().sizes().vec().get();
            long[] found = source.shape(key);
            if (!Arrays.equals(expected, found)) {
                throw new ModelLoadException(source.describe() + ": tensor '" + key + "' has shape "
                        + Arrays.toString(found) + " but the config implies " + Arrays.toString(expected));
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelLoadException(source.describe() + " is missing " + missing.size() + " tensor(s): "
                    + String.join(", ", missing.subList(0, Math.min(8, missing.size())))
                    + (missing.size() > 8 ? ", …" : "") + " (names in the current Hugging Face layout)");
        }
        for (String key : new TreeSet<>(source.names())) {
            String name = toModuleName.apply(key);
            if (name != null && !parameters.containsKey(name)) unused.add(key);
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                try (PointerScope scope = new PointerScope()) {
                    e.getValue().copy_(source.load(checkpointKeyFor.get(e.getKey())));
                }
            }
        }
        return unused;
    }
}
