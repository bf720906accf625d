package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code SiglipMLP}: fc1, activation (gelu_pytorch_tanh for SigLIP), fc2. */
final class SiglipMlp extends Module {
    private final Activation activation;
    private final Linear fc1;
    private final Linear fc2;

    SiglipMlp(ParameterFactory factory, SiglipVisionConfig config) {
        this.activation = Activation.fromConfig("vision_config.hidden_act", config.hiddenAct);
        fc1 = child("fc1", new Linear(factory, config.hiddenSize, config.intermediateSize, true));
        fc2 = child("fc2", new Linear(factory, config.intermediateSize, config.hiddenSize, true));
    }

    Tensor forward(Tensor hidden) {
        return fc2.forward(activation.apply(fc1.forward(hidden)));
    }
}
