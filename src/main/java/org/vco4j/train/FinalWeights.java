package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.AtomicFolder;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The result of a run, in the formats other tools read: a PEFT adapter folder ({@code adapter/}) for LoRA,
 * or a standalone Hugging Face checkpoint ({@code model/}) for full fine-tuning. Written into a temporary
 * folder and renamed into place.
 */
final class FinalWeights {
    private static final long SHARD_BYTES = 5L << 30;

    private FinalWeights() {}

    static Path write(TrainingRun run, Path out) throws IOException {
        PolicyModel policy = run.policy();
        if (policy.usesLora()) {
            Path target = out.resolve("adapter");
            policy.adapters().save(target, policy.vlm().folder().toAbsolutePath().toString());
            return target;
        }
        Path target = out.resolve("model");
        AtomicFolder.write(target, true, staging -> writeCheckpoint(policy.vlm(), staging));
        return target;
    }

    /** Every weight in the family's current key layout, plus the base folder's config, tokenizer and processor files. */
    static void writeCheckpoint(PretrainedVlm vlm, Path folder) throws IOException {
        ModelFamily family = vlm.family();
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            vlm.model().module().namedParameters().forEach((name, t) -> tensors.put(family.checkpointKey(name, false), t.detach()));
            SafetensorsCheckpointWriter.writeSharded(folder, tensors, SHARD_BYTES);
        }
        try (Stream<Path> files = Files.list(vlm.folder())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                boolean weights = name.endsWith(".safetensors") || name.endsWith(".safetensors.index.json") || name.endsWith(".bin");
                if (Files.isRegularFile(file) && !weights) Files.copy(file, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
