package org.vco4j.model.vit;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;

/** A ViT vision tower (CLIP's, SigLIP's): its validated config and the hidden states the LLaVA families read. */
public abstract class VitVisionModel<C extends VitConfig> extends Module {
    private final C config;

    /** Validates {@code config} as config.json's {@code vision_config}. */
    protected VitVisionModel(C config) {
        this(config, VitConfig::validate);
    }

    /**
     * Validates {@code config} as config.json's {@code vision_config} with the given check (a tower that builds
     * more of the model than LLaVA needs, such as SigLIP's pooling head, accepts what {@link VitConfig#validate}
     * refuses).
     */
    protected VitVisionModel(C config, java.util.function.BiConsumer<C, String> validation) {
        validation.accept(config, "vision_config");
        this.config = config;
    }

    public final C config() {
        return config;
    }

    /**
     * Hugging Face's {@code hidden_states[layer]} (index 0 is the embeddings, negative indices count from the
     * end). Layers past the requested one are not run.
     */
    public abstract Tensor hiddenStates(Tensor pixelValues, int layer);
}
