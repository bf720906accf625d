package org.vco4j.model.llama;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code LlamaRotaryEmbedding} without scaling: {@code inv_freq = 1 / θ^(2i/d)}, cos/sin of
 * position × frequency, computed in float32 as Hugging Face does, then cast to the activations' dtype.
 */
final class LlamaRotaryEmbedding {
    private final ParameterFactory factory;
    private final int headDim;
    private final double theta;

    LlamaRotaryEmbedding(ParameterFactory factory, int headDim, double theta) {
        this.factory = factory;
        this.headDim = headDim;
        this.theta = theta;
    }

    /** cos and sin of shape [B, 1, T, headDim] for integer positions [B, T]. */
    Tensor[] cosSin(Tensor positions, ScalarType dtype) {
        Tensor exponents = torch.arange(new Scalar(0), new Scalar(headDim), new Scalar(2),
                factory.options(ScalarType.Long)).to(ScalarType.Float).div(new Scalar((double) headDim));
        Tensor invFreq = torch.pow(new Scalar(theta), exponents).reciprocal();
        Tensor freqs = positions.to(ScalarType.Float).unsqueeze(-1).mul(invFreq);
        Tensor emb = torch.cat(new TensorVector(freqs, freqs), -1).unsqueeze(1);
        return new Tensor[] {emb.cos().to(dtype), emb.sin().to(dtype)};
    }

    /** {@code q·cos + rotate_half(q)·sin}. */
    static Tensor apply(Tensor x, Tensor cos, Tensor sin) {
        long half = x.size(-1) / 2;
        Tensor x1 = x.narrow(-1, 0, half);
        Tensor x2 = x.narrow(-1, half, half);
        Tensor rotated = torch.cat(new TensorVector(x2.neg(), x1), -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
