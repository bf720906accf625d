package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.encoder.ImageEncoder;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;
import org.vco4j.model.vit.VitVisionModel;

import java.util.function.BiConsumer;

/**
 * {@code SiglipVisionModel}: the {@code vision_model} with embeddings (no class token, no pre-norm), the
 * encoder and {@code post_layernorm}. The LLaVA towers have no pooling head ({@code vision_use_head} must be
 * false); the image encoder's tower ({@link #withHead}) adds the multihead-attention pooling {@code head} and its
 * {@link #poolerOutput}.
 */
public final class SiglipVisionModel extends VitVisionModel<SiglipVisionConfig> implements ImageEncoder {
    private final SiglipVisionEmbeddings embeddings;
    private final VitEncoder encoder;
    private final LayerNorm postLayernorm;
    private final SiglipMultiheadAttentionPoolingHead head;

    /** The tower as LLaVA holds it: no pooling head. */
    public SiglipVisionModel(ParameterFactory factory, SiglipVisionConfig config) {
        this(factory, config, SiglipVisionConfig::validate, false);
    }

    private SiglipVisionModel(ParameterFactory factory, SiglipVisionConfig config,
                              BiConsumer<SiglipVisionConfig, String> validation, boolean withHead) {
        super(config, validation);
        Container visionModel = child("vision_model", new Container());
        embeddings = visionModel.add("embeddings", new SiglipVisionEmbeddings(factory, config));
        encoder = visionModel.add("encoder", new VitEncoder(factory, config.encoderSpec()));
        // LLaVA reads encoder hidden states, never post_layernorm; it is loaded so checkpoints round-trip.
        postLayernorm = visionModel.add("post_layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        head = withHead ? visionModel.add("head", new SiglipMultiheadAttentionPoolingHead(factory, config)) : null;
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

    /**
     * {@code SiglipVisionModel} with {@code vision_use_head}: the tower and {@code vision_model.head}, whose output is
     * the pooled embedding of SigLIP's image features ({@code SiglipModel.get_image_features}).
     */
    public static SiglipVisionModel withHead(ParameterFactory factory, SiglipVisionConfig config) {
        if (!config.visionUseHead) {
            throw new IllegalArgumentException("vision_use_head is false: this SigLIP tower has no pooling "
                    + "head, so it gives no pooled image embedding");
        }
        return new SiglipVisionModel(factory, config, SiglipVisionConfig::validateWithHead, true);
    }

    /** {@code pooler_output}: the pooling head over {@link #lastHiddenState}; [batch, hidden]. */
    public Tensor poolerOutput(Tensor pixelValues) {
        if (head == null) throw new IllegalStateException("this SigLIP tower was built without its pooling head");
        return head.forward(lastHiddenState(pixelValues));
    }

    /** {@link #poolerOutput}: the encoder's pooled embedding (needs the head). */
    @Override
    public Tensor imageEmbeddings(Tensor pixelValues) {
        return poolerOutput(pixelValues);
    }

    @Override
    public int embeddingSize() {
        return config().hiddenSize;
    }

    @Override
    public Module module() {
        return this;
    }
}
