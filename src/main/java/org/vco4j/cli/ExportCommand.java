package org.vco4j.cli;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.AtomicFolder;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code vco export}: merges a LoRA adapter into its base model and writes a standalone Hugging Face
 * checkpoint. Weights are written in the family's layout and in the dtype the base checkpoint stores
 * each tensor in; every other file of the base folder (config, tokenizer, preprocessor, chat template)
 * is copied unchanged.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Merge a LoRA adapter into its base model and write a standalone Hugging Face checkpoint.")
final class ExportCommand implements Callable<Integer> {
    /** transformers' default {@code max_shard_size} ("5GB"). */
    static final long MAX_SHARD_BYTES = 5_000_000_000L;
    /** Weight files of the base folder, which the merged weights replace. */
    private static final Pattern WEIGHT_FILE = Pattern.compile(
            ".*\\.(safetensors|bin|pt|pth|ckpt|h5|msgpack|gguf)(\\.index\\.json)?");

    @Mixin
    ModelOptions options;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "PEFT LoRA adapter folder.")
    Path adapter;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to create.")
    Path out;

    @Option(names = "--legacy-keys", description = "Write pre-4.52 key names (language_model.model.*, vision_tower.*).")
    boolean legacyKeys;

    @Option(names = "--force", description = "Replace an existing folder.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Path base = options.model;
        if (base.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out " + out + " is the base model's folder; write the merged model elsewhere");
        }
        int layers;
        try (PretrainedVlm vlm = options.load(); LoraAdapters adapters = LoraAdapters.load(adapter, vlm.model().module())) {
            layers = adapters.layerPaths().size();
            adapters.merge();
            Map<String, ScalarType> storedTypes = storedTypes(base, vlm.family());
            AtomicFolder.write(out, force, staging -> {
                try (PointerScope scope = new PointerScope()) {
                    Map<String, Tensor> tensors = new LinkedHashMap<>();
                    vlm.model().module().namedParameters().forEach((name, t) -> {
                        ScalarType stored = storedTypes.get(name);
                        tensors.put(vlm.family().checkpointKey(name, legacyKeys), stored == null ? t : t.to(stored));
                    });
                    SafetensorsCheckpointWriter.writeSharded(staging, tensors, MAX_SHARD_BYTES);
                }
                copyOtherFiles(base, staging);
            });
        }
        System.out.println("merged " + layers + " adapted layers of " + adapter + " into " + base + "; wrote " + out);
        return 0;
    }

    /** The dtype each parameter has in the base checkpoint, by module name. */
    private static Map<String, ScalarType> storedTypes(Path base, ModelFamily family) throws IOException {
        Map<String, ScalarType> types = new HashMap<>();
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(base)) {
            for (String key : checkpoint.names()) {
                String name = family.moduleName(key);
                if (name != null) types.put(name, checkpoint.info(key).dtype().scalarType());
            }
        }
        return types;
    }

    /** Every top-level file of the base folder except its weights and hidden files. */
    private static void copyOtherFiles(Path base, Path target) throws IOException {
        try (Stream<Path> files = Files.list(base)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || name.startsWith(".") || WEIGHT_FILE.matcher(name).matches()) continue;
                Files.copy(file, target.resolve(name));
            }
        }
    }
}
