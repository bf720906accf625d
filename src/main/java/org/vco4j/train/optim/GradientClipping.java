package org.vco4j.train.optim;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.LongArrayRefOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The global L2 norm of gradients and clipping by it, as {@code torch.nn.utils.clip_grad_norm_}: the
 * norm of the per-tensor norms, and a scale of {@code maxNorm / (norm + 1e-6)} applied to every gradient
 * when that is below 1.
 *
 * <p>Norms are accumulated in float32 (float64 when any gradient is float64) whatever the gradients'
 * dtype; torch keeps bf16 gradients' norms in bf16, which only matters for the last digits. The norm is
 * read into Java once (one host round trip, {@link Tensors#hostReads}); the clipping scale stays on the device.
 */
public final class GradientClipping {
    private static final double EPSILON = 1e-6;

    private GradientClipping() {}

    /** The L2 norm of all defined gradients of {@code parameters} taken together (0 when none has one). */
    public static double globalNorm(Collection<Tensor> parameters) {
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope scope = new PointerScope()) {
            Tensor total = totalNorm(gradients(parameters));
            return total == null ? 0 : Tensors.item(total);
        }
    }

    /**
     * Scales the gradients of {@code parameters} so their global norm is at most {@code maxNorm} and returns
     * the norm before clipping. A NaN or infinite norm is returned with the gradients untouched (torch would
     * fill them with NaN); the caller should stop or skip the update.
     */
    public static double clipGlobalNorm(Collection<Tensor> parameters, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("max norm must be finite and > 0: " + maxNorm);
        }
        try (NoGradGuard noGrad = new NoGradGuard(); PointerScope scope = new PointerScope()) {
            List<Tensor> grads = gradients(parameters);
            Tensor total = totalNorm(grads);
            if (total == null) return 0;
            double norm = Tensors.item(total);
            if (!Double.isFinite(norm)) return norm;
            // torch computes max_norm / (norm + 1e-6) as a tensor in the norm's dtype: reciprocal, then times max_norm,
            // and multiplies every gradient by it clamped to 1 (by exactly 1, which changes nothing, when below the limit).
            Tensor coefficient = total.add(new Scalar(EPSILON)).reciprocal().mul(new Scalar(maxNorm))
                    .clamp_max(new Scalar(1.0));
            for (Tensor g : grads) g.mul_(coefficient);
            return norm;
        }
    }

    private static List<Tensor> gradients(Collection<Tensor> parameters) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) {
            Tensor g = p.grad();
            if (g != null && !g.isNull() && g.defined()) grads.add(g);
        }
        return grads;
    }

    private static Tensor totalNorm(List<Tensor> grads) {
        if (grads.isEmpty()) return null;
        boolean anyDouble = false;
        for (Tensor g : grads) anyDouble |= g.scalar_type().intern() == ScalarType.Double;
        ScalarTypeOptional dtype = new ScalarTypeOptional(anyDouble ? ScalarType.Double : ScalarType.Float);
        List<Tensor> norms = new ArrayList<>(grads.size());
        for (Tensor g : grads) {
            norms.add(torch.linalg_vector_norm(g, new Scalar(2.0), new LongArrayRefOptional(), false, dtype));
        }
        return torch.linalg_vector_norm(Tensors.stack(norms, 0), new Scalar(2.0), new LongArrayRefOptional(), false, dtype);
    }
}
