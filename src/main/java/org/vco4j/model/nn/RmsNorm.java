package org.vco4j.model.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** {@code LlamaRMSNorm}: normalises in float32 and casts back, as Hugging Face does. */
public final class RmsNorm extends Module {
    private final double eps;
    private final Tensor weight;

    public RmsNorm(ParameterFactory factory, long dim, double eps) {
        this.eps = eps;
        this.weight = parameter("weight", factory.ones(dim));
    }

    public Tensor forward(Tensor hidden) {
        ScalarType inputType = hidden.scalar_type();
        Tensor x = hidden.to(ScalarType.Float);
        Tensor variance = x.pow(new Scalar(2)).mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        x = x.mul(variance.add(new Scalar(eps)).rsqrt());
        return weight.mul(x.to(inputType));
    }
}
