package org.vco4j.model.vit;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code CLIPEncoderLayer} / {@code SiglipEncoderLayer}: pre-norm attention and MLP ({@code fc1}, activation,
 * {@code fc2}) blocks with residuals.
 */
public final class VitEncoderLayer extends Module {
    private final VitAttention selfAttn;
    private final LayerNorm layerNorm1;
    private final Linear fc1;
    private final Linear fc2;
    private final Activation activation;
    private final LayerNorm layerNorm2;

    public VitEncoderLayer(ParameterFactory factory, VitEncoderSpec spec) {
        activation = Activation.fromConfig("vision_config.hidden_act", spec.hiddenAct());
        selfAttn = child("self_attn", new VitAttention(factory, spec));
        layerNorm1 = child("layer_norm1", new LayerNorm(factory, spec.hiddenSize(), spec.layerNormEps()));
        Container mlp = child("mlp", new Container());
        fc1 = mlp.add("fc1", new Linear(factory, spec.hiddenSize(), spec.intermediateSize(), true));
        fc2 = mlp.add("fc2", new Linear(factory, spec.intermediateSize(), spec.hiddenSize(), true));
        layerNorm2 = child("layer_norm2", new LayerNorm(factory, spec.hiddenSize(), spec.layerNormEps()));
    }

    public Tensor forward(Tensor hidden) {
        hidden = hidden.add(selfAttn.forward(layerNorm1.forward(hidden)));
        return hidden.add(fc2.forward(activation.apply(fc1.forward(layerNorm2.forward(hidden)))));
    }
}
