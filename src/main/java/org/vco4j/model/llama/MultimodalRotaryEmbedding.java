package org.vco4j.model.llama;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;

import java.util.Arrays;

/**
 * Qwen2-VL's multimodal rotary embedding (M-RoPE): every token has three positions (temporal, height, width; all equal
 * for text), and the rotary frequencies are split among them by {@code mrope_section} — with [16, 24, 24] and a head
 * dimension of 128, frequency slots 0–15 turn with the temporal position, 16–39 with the height, 40–63 with the width,
 * in both halves of the head. With three equal positions it is {@link LlamaRotaryEmbedding} exactly.
 */
public final class MultimodalRotaryEmbedding {
    private final ParameterFactory factory;
    private final int headDim;
    private final double theta;
    private final long[] axisOfDim;

    /** @param mropeSection frequency slots per axis (t, h, w); they must add up to half the head dimension */
    public MultimodalRotaryEmbedding(ParameterFactory factory, int headDim, double theta, int[] mropeSection) {
        if (mropeSection.length != 3 || Arrays.stream(mropeSection).sum() * 2 != headDim) {
            throw new IllegalArgumentException("rope_scaling.mrope_section " + Arrays.toString(mropeSection)
                    + " must be three numbers adding up to half the head dimension (" + headDim / 2 + ")");
        }
        this.factory = factory;
        this.headDim = headDim;
        this.theta = theta;
        this.axisOfDim = new long[headDim];
        for (int j = 0; j < headDim; j++) {
            int slot = j % (headDim / 2);
            axisOfDim[j] = slot < mropeSection[0] ? 0 : slot < mropeSection[0] + mropeSection[1] ? 1 : 2;
        }
    }

    /** cos and sin of shape [B, 1, T, headDim] for positions [3, B, T] (temporal, height, width). */
    public Tensor[] cosSin(Tensor positions, ScalarType dtype) {
        Tensor exponents = torch.arange(new Scalar(0), new Scalar(headDim), new Scalar(2),
                factory.options(ScalarType.Long)).to(ScalarType.Float).div(new Scalar((double) headDim));
        Tensor invFreq = torch.pow(new Scalar(theta), exponents).reciprocal();
        Tensor freqs = positions.to(ScalarType.Float).unsqueeze(-1).mul(invFreq);
        Tensor emb = torch.cat(new TensorVector(freqs, freqs), -1); // [3, B, T, d]
        Tensor axis = Tensors.upload(Tensors.longs(axisOfDim), positions.device(), ScalarType.Long)
                .view(1, 1, 1, headDim).expand(1, positions.size(1), positions.size(2), headDim);
        Tensor cos = emb.cos().gather(0, axis).squeeze(0).unsqueeze(1);
        Tensor sin = emb.sin().gather(0, axis).squeeze(0).unsqueeze(1);
        return new Tensor[] {cos.to(dtype), sin.to(dtype)};
    }
}
