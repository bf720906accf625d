package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code torch.nn.Linear}: {@code weight} is [out, in], optional {@code bias} [out]. */
public class Linear extends Module {
    public final long inFeatures;
    public final long outFeatures;
    protected final Tensor weight;
    protected final Tensor bias;

    public Linear(ParameterFactory factory, long inFeatures, long outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", factory.zeros(outFeatures, inFeatures));
        this.bias = bias ? parameter("bias", factory.zeros(outFeatures)) : null;
    }

    public Tensor forward(Tensor input) {
        return bias == null ? torch.linear(input, weight) : torch.linear(input, weight, new TensorOptional(bias));
    }

    public Tensor weight() {
        return weight;
    }
}
