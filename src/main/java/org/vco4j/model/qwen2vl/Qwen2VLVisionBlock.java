package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * transformers' {@code Qwen2VLVisionBlock}: pre-norm attention and MLP ({@code VisionMlp}: {@code fc1}, the
 * config's activation, quick_gelu in the published checkpoints, {@code fc2}) with residuals; both norms are
 * LayerNorms with eps 1e-6.
 */
final class Qwen2VLVisionBlock extends Module {
    static final double NORM_EPS = 1e-6;

    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Qwen2VLVisionAttention attn;
    private final Linear fc1;
    private final Linear fc2;
    private final Activation activation;

    Qwen2VLVisionBlock(ParameterFactory factory, Qwen2VLVisionConfig config) {
        activation = Activation.fromConfig("vision_config.hidden_act", config.hiddenAct);
        norm1 = child("norm1", new LayerNorm(factory, config.embedDim, NORM_EPS));
        norm2 = child("norm2", new LayerNorm(factory, config.embedDim, NORM_EPS));
        attn = child("attn", new Qwen2VLVisionAttention(factory, config));
        Container mlp = child("mlp", new Container());
        fc1 = mlp.add("fc1", new Linear(factory, config.embedDim, config.mlpHiddenDim(), true));
        fc2 = mlp.add("fc2", new Linear(factory, config.mlpHiddenDim(), config.embedDim, true));
    }

    Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor mask) {
        hidden = hidden.add(attn.forward(norm1.forward(hidden), cos, sin, mask));
        return hidden.add(fc2.forward(activation.apply(fc1.forward(norm2.forward(hidden)))));
    }
}
