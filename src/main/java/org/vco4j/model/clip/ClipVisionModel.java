package org.vco4j.model.clip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;


/**
 * {@code CLIPVisionModel}: the {@code vision_model} with embeddings, {@code pre_layrnorm} (sic, as in the
 * checkpoints), the encoder and {@code post_layernorm}.
 */
public final class ClipVisionModel extends Module {
    private final ClipVisionConfig config;
    private final ClipVisionTransformer visionModel;

    public ClipVisionModel(ParameterFactory factory, ClipVisionConfig config) {
        config.validate("vision_config");
        this.config = config;
        this.visionModel = child("vision_model", new ClipVisionTransformer(factory, config));
    }

    public ClipVisionConfig config() {
        return config;
    }

    /**
     * The hidden states after {@code layer} encoder layers (Hugging Face's {@code hidden_states[layer]}:
     * index 0 is the embeddings after {@code pre_layrnorm}; negative indices count from the end, so −2 is
     * the input of the last layer). Layers past the requested one are not run.
     */
    public Tensor hiddenStates(Tensor pixelValues, int layer) {
        return visionModel.hiddenStates(pixelValues, layer);
    }

    /** {@code CLIPVisionTransformer}. */
    private static final class ClipVisionTransformer extends Module {
        private final ClipVisionEmbeddings embeddings;
        private final LayerNorm preLayrnorm;
        private final VitEncoder encoder;

        ClipVisionTransformer(ParameterFactory factory, ClipVisionConfig config) {
            embeddings = child("embeddings", new ClipVisionEmbeddings(factory, config));
            preLayrnorm = child("pre_layrnorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
            encoder = child("encoder", new VitEncoder(factory, config.encoderSpec()));
            // post_layernorm only acts on the pooled output, which LLaVA never reads; it is loaded so that
            // checkpoints round-trip unchanged.
            child("post_layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        }

        Tensor hiddenStates(Tensor pixelValues, int layer) {
            return encoder.hiddenStates(preLayrnorm.forward(embeddings.forward(pixelValues)), layer);
        }
    }
}
