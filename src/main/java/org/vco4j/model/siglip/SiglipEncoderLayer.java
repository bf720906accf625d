package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code SiglipEncoderLayer}: pre-norm attention and MLP blocks with residuals. */
final class SiglipEncoderLayer extends Module {
    private final LayerNorm layerNorm1;
    private final SiglipAttention selfAttn;
    private final LayerNorm layerNorm2;
    private final SiglipMlp mlp;

    SiglipEncoderLayer(ParameterFactory factory, SiglipVisionConfig config) {
        // Registered in transformers' order.
        selfAttn = child("self_attn", new SiglipAttention(factory, config));
        layerNorm1 = child("layer_norm1", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        mlp = child("mlp", new SiglipMlp(factory, config));
        layerNorm2 = child("layer_norm2", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
    }

    Tensor forward(Tensor hidden) {
        hidden = hidden.add(selfAttn.forward(layerNorm1.forward(hidden)));
        return hidden.add(mlp.forward(layerNorm2.forward(hidden)));
    }
}
