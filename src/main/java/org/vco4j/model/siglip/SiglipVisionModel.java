package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;

/**
 * {@code SiglipVisionModel}: the {@code vision_model} with embeddings (no class token, no pre-norm), the
 * encoder and {@code post_layernorm}. The multihead-attention pooling {@code head} is not implemented
 * ({@code vision_use_head} must be false).
 */
public final class SiglipVisionModel extends Module {
    private final SiglipVisionConfig config;
    private final SiglipVisionTransformer visionModel;

    public SiglipVisionModel(ParameterFactory factory, SiglipVisionConfig config) {
        config.validate("vision_config");
        this.config = config;
        this.visionModel = child("vision_model", new SiglipVisionTransformer(factory, config));
    }

    public SiglipVisionConfig config() {
        return config;
    }

    /**
     * The hidden states after {@code layer} encoder layers (Hugging Face's {@code hidden_states[layer]}:
     * index 0 is the embeddings, negative indices count from the end). These are encoder outputs, so −1 is
     * the last layer's output BEFORE {@code post_layernorm}, which is what the LLaVA families read. Layers
     * past the requested one are not run.
     */
    public Tensor hiddenStates(Tensor pixelValues, int layer) {
        return visionModel.encoder.hiddenStates(visionModel.embeddings.forward(pixelValues), layer);
    }

    /** {@code last_hidden_state}: all layers, then {@code post_layernorm}. */
    public Tensor lastHiddenState(Tensor pixelValues) {
        return visionModel.postLayernorm.forward(hiddenStates(pixelValues, -1));
    }

    /** {@code SiglipVisionTransformer}. */
    private static final class SiglipVisionTransformer extends Module {
        private final SiglipVisionEmbeddings embeddings;
        private final VitEncoder encoder;
        private final LayerNorm postLayernorm;

        SiglipVisionTransformer(ParameterFactory factory, SiglipVisionConfig config) {
            embeddings = child("embeddings", new SiglipVisionEmbeddings(factory, config));
            encoder = child("encoder", new VitEncoder(factory, config.encoderSpec()));
            // LLaVA reads encoder hidden states, never post_layernorm; it is loaded so checkpoints round-trip.
            postLayernorm = child("post_layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        }

    }
}
