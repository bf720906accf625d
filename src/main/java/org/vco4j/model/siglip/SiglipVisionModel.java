package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;
import org.vco4j.model.vit.VitVisionModel;

/**
 * {@code SiglipVisionModel}: the {@code vision_model} with embeddings (no class token, no pre-norm), the
 * encoder and {@code post_layernorm}. The multihead-attention pooling {@code head} is not implemented
 * ({@code vision_use_head} must be false).
 */
public final class SiglipVisionModel extends VitVisionModel<SiglipVisionConfig> {
    private final SiglipVisionEmbeddings embeddings;
    private final VitEncoder encoder;
    private final LayerNorm postLayernorm;

    public SiglipVisionModel(ParameterFactory factory, SiglipVisionConfig config) {
        super(config);
        Container visionModel = child("vision_model", new Container());
        embeddings = visionModel.add("embeddings", new SiglipVisionEmbeddings(factory, config));
        encoder = visionModel.add("encoder", new VitEncoder(factory, config.encoderSpec()));
        // LLaVA reads encoder hidden states, never post_layernorm; it is loaded so checkpoints round-trip.
        postLayernorm = visionModel.add("post_layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
    }

    /**
     * Encoder outputs: −1 is the last layer's output BEFORE {@code post_layernorm}, which is what the LLaVA
     * families read.
     */
    @Override
    public Tensor hiddenStates(Tensor pixelValues, int layer) {
        return encoder.hiddenStates(embeddings.forward(pixelValues), layer);
    }

    /** {@code last_hidden_state}: all layers, then {@code post_layernorm}. */
    public Tensor lastHiddenState(Tensor pixelValues) {
        return postLayernorm.forward(hiddenStates(pixelValues, -1));
    }
}
