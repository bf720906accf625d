package org.vco4j.model.clip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;
import org.vco4j.model.vit.VitVisionModel;


/**
 * {@code CLIPVisionModel}: the {@code vision_model} with embeddings, {@code pre_layrnorm} (sic, as in the
 * checkpoints), the encoder and {@code post_layernorm}.
 */
public final class ClipVisionModel extends VitVisionModel<ClipVisionConfig> {
    private final ClipVisionEmbeddings embeddings;
    private final LayerNorm preLayrnorm;
    private final VitEncoder encoder;

    public ClipVisionModel(ParameterFactory factory, ClipVisionConfig config) {
        super(config);
        Container visionModel = child("vision_model", new Container());
        embeddings = visionModel.add("embeddings", new ClipVisionEmbeddings(factory, config));
        preLayrnorm = visionModel.add("pre_layrnorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        encoder = visionModel.add("encoder", new VitEncoder(factory, config.encoderSpec()));
        // post_layernorm only acts on the pooled output, which LLaVA never reads; it is loaded so that
        // checkpoints round-trip unchanged.
        visionModel.add("post_layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
    }

    /** Index 0 is the embeddings after {@code pre_layrnorm}; −2 is the input of the last layer (LLaVA-1.5's). */
    @Override
    public Tensor hiddenStates(Tensor pixelValues, int layer) {
        return encoder.hiddenStates(preLayrnorm.forward(embeddings.forward(pixelValues)), layer);
    }
}
