package org.vco4j.model.nn;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.tensor.Autocast;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** {@code torch.nn.functional.scaled_dot_product_attention}, the one call every attention layer makes. */
public final class Attention {
    private Attention() {}

    /**
     * Attention of q [B, H, T, d] over k, v [B, H, S, d]; {@code mask} (boolean, broadcastable to [B, H, T, S], true
     * where a query may attend) may be null. Reduced-precision inputs on the CPU are attended in float32 and the
     * result cast back: libtorch's CPU kernels for bf16/fp16 attention run at a few GFLOP/s (15 to 20 times slower
     * than float32 measured on an AVX-512 BF16 machine), and softmax over float32 scores is also the more accurate.
     * Under a mixed-precision region ({@link Autocast}) the same holds on the CPU: autocast, which would run attention
     * in bfloat16, is suspended for it.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask) {
        return attend(q, k, v, mask, false);
    }

    /**
     * Causal attention of q [B, H, T, d] over k, v [B, H, T, d] (query t sees keys 0..t), without a mask tensor:
     * libtorch's fused kernels skip the blocks above the diagonal instead of reading a [B, 1, T, T] mask (on the CPU
     * 1.7× faster than the same attention with a boolean mask, which the kernel also converts to float and keeps
     * for the backward).
     */
    public static Tensor causal(Tensor q, Tensor k, Tensor v) {
        return attend(q, k, v, null, true);
    }

    private static Tensor attend(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
        ScalarType type = q.scalar_type().intern();
        Device device = q.device();
        if (q.is_cpu() && Autocast.isEnabled(device)) {
            try (Autocast suspended = Autocast.suspended(device)) {
                Tensor output = sdpa(q.to(ScalarType.Float), k.to(ScalarType.Float), v.to(ScalarType.Float), mask, causal);
                Flops.attention(q, k, output);
                return output;
            }
        }
        boolean upcast = q.is_cpu() && (type == ScalarType.BFloat16 || type == ScalarType.Half);
        Tensor output = upcast
                ? sdpa(q.to(ScalarType.Float), k.to(ScalarType.Float), v.to(ScalarType.Float), mask, causal).to(type)
                : sdpa(q, k, v, mask, causal);
        Flops.attention(q, k, output);
        return output;
    }

    private static Tensor sdpa(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
        return torch.scaled_dot_product_attention(q, k, v, mask == null ? new TensorOptional() : new TensorOptional(mask),
                0.0, causal, new DoubleOptional(), false);
    }
}
