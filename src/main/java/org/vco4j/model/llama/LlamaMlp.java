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

    LlamaMlp(ParameterFactory factory, DecoderSpec spec) {
        activation = Activation.fromConfig("text_config.hidden_act", spec.hiddenAct());
        gateProj = child("gate_proj", new Linear(factory, spec.hiddenSize(), spec.intermediateSize(), spec.mlpBias()));
        upProj = child("up_proj", new Linear(factory, spec.hiddenSize(), spec.intermediateSize(), spec.mlpBias()));
        downProj = child("down_proj", new Linear(factory, spec.intermediateSize(), spec.hiddenSize(), spec.mlpBias()));
    }

    Tensor forward(Tensor hidden) {
        return downProj.forward(activation.apply(gateProj.forward(hidden)).mul(upProj.forward(hidden)));
    }
}
