package org.vco4j.model.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The floating-point operations the engine executes, counted where they happen: every matrix product of a linear
 * layer (2·rows·in·out) and of attention (4·B·H·T·S·d: scores and weighted values). Backward work is counted when the
 * forward runs, from what will need gradients: the same product again for the input's gradient when the input needs
 * one, and again for the weight's gradient when the weight needs one — so a frozen tower costs its forward only and a
 * LoRA layer's frozen base costs forward + input gradient. Element-wise work (norms, activations, softmax) is left
 * out, as in the usual model-FLOPs convention; padding and recomputed work are in, since they are executed.
 *
 * <p>Counting is always on and costs a few native calls per layer; read it with {@link #count()} around the work.
 */
public final class Flops {
    private static final AtomicLong COUNT = new AtomicLong();

    private Flops() {}

    /**
     * The operations executed and the wall time since {@link #start()}: what a command that is not a benchmark
     * ({@code vco score}, {@code vco generate}) reports of its own work when it ends.
     */
    public record Meter(long startCount, long startNanos) {
        public static Meter start() {
            return new Meter(count(), System.nanoTime());
        }

        public long flops() {
            return count() - startCount;
        }

        public double seconds() {
            return (System.nanoTime() - startNanos) / 1e9;
        }

        /**
         * "X GFLOP = Y GFLOP/s, Z % of the W GFLOP/s matrix-product roofline" with the roofline measured now (1024²
         * products in the factory's device and dtype, about a tenth of a second on a CPU).
         */
        public String describe(ParameterFactory factory) {
            double flops = flops();
            double perSecond = flops / seconds();
            double roofline = measureRoofline(factory, 1024);
            return String.format(java.util.Locale.ROOT, "%.3g GFLOP = %.3g GFLOP/s, %.1f%% of the %.1f GFLOP/s matrix-product roofline",
                    flops / 1e9, perSecond / 1e9, 100 * perSecond / roofline, roofline / 1e9);
        }
    }

    /** Operations counted since the process started (forward and the backward that will follow). */
    public static long count() {
        return COUNT.get();
    }

    /** {@code torch.linear(input, weight, bias)}, counted. */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        Tensor output = bias == null ? torch.linear(input, weight) : torch.linear(input, weight, new TensorOptional(bias));
        long in = weight.size(1);
        long product = 2 * (input.numel() / in) * in * weight.size(0);
        COUNT.addAndGet(product * passes(output, input.requires_grad(), weight.requires_grad()));
        return output;
    }

    /**
     * {@code accumulator + alpha · input · weightᵀ} ({@code torch.addmm}) for 2-D operands, counted as the linear
     * layer it is: an update added to an output without a product-sized temporary.
     */
    public static Tensor addLinear(Tensor accumulator, Tensor input, Tensor weight, double alpha) {
        Tensor output = torch.addmm(accumulator, input, weight.t(), new Scalar(1.0), new Scalar(alpha));
        long product = 2 * input.size(0) * weight.size(1) * weight.size(0);
        COUNT.addAndGet(product * passes(output, input.requires_grad(), weight.requires_grad()));
        return output;
    }

    /** Counts attention of q [B, H, T, d] over k [B, H, S, d] that gave {@code output}. */
    static void attention(Tensor q, Tensor k, Tensor output) {
        long product = 4 * q.size(0) * q.size(1) * q.size(2) * k.size(2) * q.size(3);
        // Gradients of scores and values flow to q, k and v together: twice the forward when any needs one.
        COUNT.addAndGet(product * (output.requires_grad() ? 3 : 1));
    }

    /** 1 for the forward, +1 for the input's gradient, +1 for the weight's, when a backward will run. */
    private static int passes(Tensor output, boolean inputGrad, boolean weightGrad) {
        if (!output.requires_grad()) return 1;
        return 1 + (inputGrad ? 1 : 0) + (weightGrad ? 1 : 0);
    }

    /**
     * The matrix-product roofline of this device and dtype: the best FLOP/s of square products of size {@code n}
     * over a few repetitions, measured now (nothing else heavy should run meanwhile).
     */
    public static double measureRoofline(ParameterFactory factory, int n) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor a = torch.randn(new long[] {n, n}).to(factory.device(), factory.dtype());
            Tensor b = torch.randn(new long[] {n, n}).to(factory.device(), factory.dtype());
            a.matmul(b); // warm-up: thread pools, kernel selection
            double best = 0;
            for (int repeat = 0; repeat < 5; repeat++) {
                long start = System.nanoTime();
                Tensor c = a.matmul(b);
                c.sum().item_double(); // waits for asynchronous devices
                best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - start) / 1e9));
            }
            return best;
        }
    }
}
