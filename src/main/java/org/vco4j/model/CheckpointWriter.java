package org.vco4j.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.AtomicFolder;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a loaded model as a standalone Hugging Face checkpoint folder: every parameter, sharded, under the
 * family's checkpoint keys, and every other top-level file of the folder it was loaded from (config,
 * tokenizer, preprocessor, chat template) copied unchanged. The folder is written atomically
 * ({@link AtomicFolder}).
 */
public final class CheckpointWriter {
    /** transformers' default {@code max_shard_size} ("5GB"). */
    public static final long MAX_SHARD_BYTES = 5_000_000_000L;
    /** Weight files of the source folder, which the written weights replace. */
    private static final Pattern WEIGHT_FILE = Pattern.compile(
            ".*\\.(safetensors|bin|pt|pth|ckpt|h5|msgpack|gguf)(\\.index\\.json)?");

    /**
     * How the weights are written.
     *
     * @param legacyKeys    pre-4.52 key names ({@code language_model.model.*}, {@code vision_tower.*})
     * @param sourceDtypes  each tensor in the dtype the source checkpoint stores it in, else in the model's
     * @param maxShardBytes the largest shard
     */
    public record Options(boolean legacyKeys, boolean sourceDtypes, long maxShardBytes) {}

    private CheckpointWriter() {}

    /**
     * Writes {@code vlm} to {@code target}.
     *
     * @param replace whether an existing, non-empty {@code target} may be replaced
     */
    public static void write(PretrainedVlm vlm, Path target, boolean replace, Options options) throws IOException {
        Map<String, ScalarType> storedTypes = options.sourceDtypes() ? storedTypes(vlm) : Map.of();
        AtomicFolder.write(target, replace, staging -> {
            ModelFamily family = vlm.family();
            try (PointerScope scope = new PointerScope()) {
                Map<String, Tensor> tensors = new LinkedHashMap<>();
                vlm.model().module().namedParameters().forEach((name, t) -> {
                    ScalarType stored = storedTypes.get(name);
                    tensors.put(family.checkpointKey(name, options.legacyKeys()), stored == null ? t.detach() : t.detach().to(stored));
                });
                SafetensorsCheckpointWriter.writeSharded(staging, tensors, options.maxShardBytes());
            }
            copyOtherFiles(vlm.folder(), staging);
        });
    }

    /** The dtype each parameter has in the checkpoint {@code vlm} was loaded from, by module name. */
    private static Map<String, ScalarType> storedTypes(PretrainedVlm vlm) throws IOException {
        Map<String, ScalarType> types = new HashMap<>();
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(vlm.folder())) {
            for (String key : checkpoint.names()) {
                String name = vlm.family().moduleName(key);
                if (name != null) types.put(name, checkpoint.info(key).dtype().scalarType());
            }
        }
        return types;
    }

    /** Every top-level file of the source folder except its weights and hidden files. */
    private static void copyOtherFiles(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || name.startsWith(".") || WEIGHT_FILE.matcher(name).matches()) continue;
                Files.copy(file, target.resolve(name));
            }
        }
    }
}
