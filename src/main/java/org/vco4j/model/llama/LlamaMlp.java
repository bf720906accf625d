package org.vco4j.model.llama;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code LlamaMLP}: SwiGLU, {@code down_proj(act(gate_proj(x)) · up_proj(x))}. */
public final class LlamaMlp extends Module {
    private final Activation activation;
    private final Linear gateProj;
    private final Linear upProj;
    private final Linear downProj;

    LlamaMlp(ParameterFactory factory, LlamaConfig config) {
        activation = Activation.fromConfig("text_config.hidden_act", config.hiddenAct);
        gateProj = child("gate_proj", new Linear(factory, config.hiddenSize, config.intermediateSize, config.mlpBias));
        upProj = child("up_proj", new Linear(factory, config.hiddenSize, config.intermediateSize, config.mlpBias));
        downProj = child("down_proj", new Linear(factory, config.intermediateSize, config.hiddenSize, config.mlpBias));
    }

    Tensor forward(Tensor hidden) {
        return downProj.forward(activation.apply(gateProj.forward(hidden)).mul(upProj.forward(hidden)));
    }
}
