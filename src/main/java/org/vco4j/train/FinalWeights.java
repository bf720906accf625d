package org.vco4j.train;

import org.vco4j.model.CheckpointWriter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The result of a run, in the formats other tools read: a PEFT adapter folder ({@code adapter/}) for LoRA,
 * or a standalone Hugging Face checkpoint ({@code model/}, {@link CheckpointWriter}) for full fine-tuning.
 * Written into a temporary folder and renamed into place.
 */
final class FinalWeights {
    /** The shard size full fine-tuning has always written. */
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
        CheckpointWriter.write(policy.vlm(), target, true, new CheckpointWriter.Options(false, false, SHARD_BYTES));
        return target;
    }
}
