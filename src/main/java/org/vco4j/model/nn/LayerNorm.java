package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code torch.nn.LayerNorm} over the last dimension, with {@code weight} and {@code bias}. */
public final class LayerNorm extends Module {
    private final long dim;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(ParameterFactory factory, long dim, double eps) {
        this.dim = dim;
        this.eps = eps;
        this.weight = parameter("weight", factory.ones(dim));
        this.bias = parameter("bias", factory.zeros(dim));
    }

    public Tensor forward(Tensor input) {
        return torch.layer_norm(input, new long[] {dim}, new TensorOptional(weight), new TensorOptional(bias), eps, false);
    }
}
