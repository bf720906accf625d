package org.vco4j.model.clip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code CLIPEncoderLayer}: pre-norm attention and MLP blocks with residuals. */
final class ClipEncoderLayer extends Module {
    private final ClipAttention selfAttn;
    private final LayerNorm layerNorm1;
    private final ClipMlp mlp;
    private final LayerNorm layerNorm2;

    ClipEncoderLayer(ParameterFactory factory, ClipVisionConfig config) {
        selfAttn = child("self_attn", new ClipAttention(factory, config));
        layerNorm1 = child("layer_norm1", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        mlp = child("mlp", new ClipMlp(factory, config));
        layerNorm2 = child("layer_norm2", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
    }

    Tensor forward(Tensor hidden) {
        hidden = hidden.add(selfAttn.forward(layerNorm1.forward(hidden)));
        return hidden.add(mlp.forward(layerNorm2.forward(hidden)));
    }
}
