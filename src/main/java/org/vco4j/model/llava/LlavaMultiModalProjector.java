package org.vco4j.model.llava;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code LlavaMultiModalProjector}: linear_1, gelu, linear_2 from vision width to text width. */
public final class LlavaMultiModalProjector extends Module {
    private final Linear linear1;
    private final Activation activation;
    private final Linear linear2;

    LlavaMultiModalProjector(ParameterFactory factory, LlavaConfig config) {
        int vision = config.visionConfig.hiddenSize;
        int text = config.textConfig.hiddenSize;
        linear1 = child("linear_1", new Linear(factory, vision, text, config.multimodalProjectorBias));
        activation = Activation.fromConfig("projector_hidden_act", config.projectorHiddenAct);
        linear2 = child("linear_2", new Linear(factory, text, text, config.multimodalProjectorBias));
    }

    Tensor forward(Tensor imageFeatures) {
        return linear2.forward(activation.apply(linear1.forward(imageFeatures)));
    }
}
