package org.vco4j.model.lora;

import org.vco4j.model.CheckpointWriter;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Export of a LoRA adapter as a standalone model: the adapter is merged into its base and the result
 * written as a Hugging Face checkpoint ({@link CheckpointWriter}), each tensor in the dtype the base
 * checkpoint stores it in.
 */
public final class LoraMerge {
    private LoraMerge() {}

    /**
     * Merges the PEFT adapter folder {@code adapter} into the checkpoint {@code base} and writes {@code out}.
     *
     * @param legacyKeys whether to write pre-4.52 key names
     * @param replace    whether an existing, non-empty {@code out} may be replaced
     * @return the number of adapted layers merged
     */
    public static int export(Path base, Path adapter, Path out, ParameterFactory parameters, boolean legacyKeys,
                             boolean replace) throws IOException {
        if (base.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("out " + out + " is the base model's folder; write the merged model elsewhere");
        }
        try (PretrainedVlm vlm = PretrainedVlm.load(base, parameters); LoraAdapters adapters = LoraAdapters.load(adapter, vlm.model().module())) {
            int layers = adapters.layerPaths().size();
            adapters.merge();
            CheckpointWriter.write(vlm, out, replace, new CheckpointWriter.Options(legacyKeys, true, CheckpointWriter.MAX_SHARD_BYTES));
            return layers;
        }
    }
}
