package org.vco4j.model.vit;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code CLIPEncoderLayer} / {@code SiglipEncoderLayer} / {@code Dinov2Layer}: pre-norm attention and MLP
 * ({@code fc1}, activation, {@code fc2}) blocks with residuals; with DINOv2's layout each branch is scaled by its
 * {@link LayerScale} before it is added.
 */
public final class VitEncoderLayer extends Module {
    private final VitAttention selfAttn;
    private final LayerNorm layerNorm1;
    private final Linear fc1;
    private final Linear fc2;
    private final Activation activation;
    private final LayerNorm layerNorm2;
    private final LayerScale layerScale1;
    private final LayerScale layerScale2;

    public VitEncoderLayer(ParameterFactory factory, VitEncoderSpec spec) {
        activation = Activation.fromConfig("vision_config.hidden_act", spec.hiddenAct());
        VitLayout names = spec.layout();
        selfAttn = child(names.attention(), new VitAttention(factory, spec));
        layerNorm1 = child(names.norm1(), new LayerNorm(factory, spec.hiddenSize(), spec.layerNormEps()));
        Container mlp = child("mlp", new Container());
        fc1 = mlp.add("fc1", new Linear(factory, spec.hiddenSize(), spec.intermediateSize(), true));
        fc2 = mlp.add("fc2", new Linear(factory, spec.intermediateSize(), spec.hiddenSize(), true));
        layerNorm2 = child(names.norm2(), new LayerNorm(factory, spec.hiddenSize(), spec.layerNormEps()));
        layerScale1 = names.hasLayerScale() ? child(names.layerScale1(), new LayerScale(factory, spec.hiddenSize())) : null;
        layerScale2 = names.hasLayerScale() ? child(names.layerScale2(), new LayerScale(factory, spec.hiddenSize())) : null;
    }

    public Tensor forward(Tensor hidden) {
        hidden = hidden.add(scaled(layerScale1, selfAttn.forward(layerNorm1.forward(hidden))));
        return hidden.add(scaled(layerScale2, fc2.forward(activation.apply(fc1.forward(layerNorm2.forward(hidden))))));
    }

    private static Tensor scaled(LayerScale scale, Tensor branch) {
        return scale == null ? branch : scale.forward(branch);
    }
}
