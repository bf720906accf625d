package org.vco4j.model.vit;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code Dinov2LayerScale}: a residual branch multiplied channel-wise by the learned {@code lambda1}. */
final class LayerScale extends Module {
    private final Tensor lambda1;

    LayerScale(ParameterFactory factory, int hiddenSize) {
        // transformers starts it at layerscale_value (1.0 by default); checkpoints always carry it.
        lambda1 = parameter("lambda1", factory.ones(hiddenSize));
    }

    Tensor forward(Tensor branch) {
        return branch.mul(lambda1);
    }
}
