package org.vco4j.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Copies checkpoint tensors into a module's parameters, walking the module's own (Hugging Face) names.
 * Checks every parameter before copying any, so a bad checkpoint never leaves a half-loaded model; {@link #check}
 * does the same against shapes alone, so a checkpoint can be refused before its model is allocated.
 */
public final class WeightLoader {
    private WeightLoader() {}

    /** The dtypes a floating-point parameter may be loaded from (cast on copy). */
    private static final Set<Integer> FLOATING = Set.of((int) ScalarType.Half.value, (int) ScalarType.BFloat16.value,
            (int) ScalarType.Float.value, (int) ScalarType.Double.value);

    /**
     * Which checkpoint tensor fills each parameter, and the checkpoint keys that fill none.
     *
     * @param keyFor checkpoint key by parameter name
     * @param unused checkpoint keys that matched no parameter (reported, not fatal)
     */
    public record Match(Map<String, String> keyFor, List<String> unused) {}

    /**
     * Matches the checkpoint's tensors to the expected parameters by name, shape and dtype, reading headers only.
     *
     * @param expected the shape of every parameter by module name
     * @param toModuleName maps a checkpoint key to the module's name for it, or null for keys that carry
     *                     no parameter (e.g. {@code rotary_emb.inv_freq} buffers of older exports)
     * @throws ModelLoadException naming the tensor, its file, and the expected and found shapes or dtype
     */
    public static Match check(Map<String, long[]> expected, WeightSource source, Function<String, String> toModuleName) {
        Map<String, String> checkpointKeyFor = new HashMap<>();
        for (String key : new TreeSet<>(source.names())) {
            String name = toModuleName.apply(key);
            if (name == null) continue;
            String previous = checkpointKeyFor.put(name, key);
            if (previous != null) {
                throw new ModelLoadException(source.describe() + ": tensors '" + previous + "' and '" + key
                        + "' both map to parameter '" + name + "' (mixed key layouts?)");
            }
        }
        Map<String, String> keyFor = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            String key = checkpointKeyFor.get(e.getKey());
            if (key == null) {
                missing.add(e.getKey());
                continue;
            }
            long[] found = source.shape(key);
            if (!Arrays.equals(e.getValue(), found)) {
                throw new ModelLoadException(source.describe(key) + ": tensor '" + key + "' has shape "
                        + Arrays.toString(found) + " but the config implies " + Arrays.toString(e.getValue()));
            }
            ScalarType dtype = source.dtype(key);
            if (!FLOATING.contains((int) dtype.value)) {
                throw new ModelLoadException(source.describe(key) + ": tensor '" + key + "' has dtype " + dtype
                        + " but a floating-point weight (F16, BF16, F32 or F64) is expected");
            }
            keyFor.put(e.getKey(), key);
        }
        if (!missing.isEmpty()) {
            throw new ModelLoadException(source.describe() + " is missing " + missing.size() + " tensor(s) the config implies: "
                    + String.join(", ", missing.subList(0, Math.min(8, missing.size())))
                    + (missing.size() > 8 ? ", …" : "") + " (names in the current Hugging Face layout)");
        }
        List<String> unused = new ArrayList<>();
        for (String key : new TreeSet<>(source.names())) {
            String name = toModuleName.apply(key);
            if (name != null && !expected.containsKey(name)) unused.add(key);
        }
        return new Match(keyFor, unused);
    }

    /** The shape of every parameter of a module by name. */
    public static Map<String, long[]> shapes(Module module) {
        Map<String, long[]> out = new LinkedHashMap<>();
        module.namedParameters().forEach((name, t) -> out.put(name, t.sizes().vec().get()));
        return out;
    }

    /**
     * Checks (see {@link #check}) and then copies every tensor into its parameter, cast to the parameter's dtype.
     *
     * @return checkpoint keys that matched no parameter (reported, not fatal)
     */
    public static List<String> load(Module module, WeightSource source, Function<String, String> toModuleName) {
        Map<String, Tensor> parameters = module.namedParameters();
        Match match = check(shapes(module), source, toModuleName);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                try (PointerScope scope = new PointerScope()) {
                    e.getValue().copy_(source.load(match.keyFor().get(e.getKey())));
                }
            }
        }
        return match.unused();
    }
}
