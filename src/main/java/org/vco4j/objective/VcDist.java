package org.vco4j.objective;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.tensor.Tensors;

/**
 * Visual Contrast Distillation (IC-VCO eq. 11): the multi-image preference {@code p_multi = σ(z_M)} teaches
 * the single-image one {@code p_single = σ(z_S)} through a Bernoulli cross-entropy, where a dual gate lets
 * it: the teacher must be right ({@code p_multi > τ}, the correctness gate) and ahead of the student
 * ({@code p_single < p_multi}, the confidence gate). The loss is averaged over the active pairs, 0 when
 * none is.
 */
final class VcDist {
    /** What the dual gate decides for one pair. */
    enum Verdict { ACTIVE, BLOCKED_BY_CORRECTNESS, BLOCKED_BY_CONFIDENCE }

    private final double threshold;
    private final boolean gated;
    private final boolean stopGradient;

    /**
     * @param threshold    τ of the correctness gate
     * @param gated        false applies the distillation to every pair (the paper's "w/o dual-gating")
     * @param stopGradient false lets gradients flow into the teacher too (the paper's "w/o stop-gradient")
     */
    VcDist(double threshold, boolean gated, boolean stopGradient) {
        this.threshold = threshold;
        this.gated = gated;
        this.stopGradient = stopGradient;
    }

    /** The gate's verdict per pair, from the multi-image and single-image reward margins. */
    Verdict[] gate(Tensor multiMargin, Tensor singleMargin) {
        double[] multi = Metrics.doubles(multiMargin);
        double[] single = Metrics.doubles(singleMargin);
        Verdict[] verdicts = new Verdict[multi.length];
        for (int i = 0; i < multi.length; i++) {
            if (!gated) verdicts[i] = Verdict.ACTIVE;
            else if (!(sigmoid(multi[i]) > threshold)) verdicts[i] = Verdict.BLOCKED_BY_CORRECTNESS;
            // σ is monotone, so p_single < p_multi is z_S < z_M: exact even where both σ round to 1.
            else if (!(single[i] < multi[i])) verdicts[i] = Verdict.BLOCKED_BY_CONFIDENCE;
            else verdicts[i] = Verdict.ACTIVE;
        }
        return verdicts;
    }

    /** Eq. 11 averaged over the active pairs; 0, with zero gradient, when no pair is active. */
    Tensor loss(Tensor multiMargin, Tensor singleMargin, Verdict[] verdicts) {
        Tensor teacher = torch.sigmoid(stopGradient ? multiMargin.detach() : multiMargin);
        Tensor crossEntropy = Losses.bernoulliCrossEntropy(teacher, singleMargin);
        float[] active = new float[verdicts.length];
        int activeCount = 0;
        for (int i = 0; i < verdicts.length; i++) {
            if (verdicts[i] == Verdict.ACTIVE) {
                active[i] = 1;
                activeCount++;
            }
        }
        Tensor mask = Tensors.upload(Tensors.floats(active), crossEntropy.device(), crossEntropy.scalar_type());
        return crossEntropy.mul(mask).sum().div(new Scalar((double) Math.max(1, activeCount)));
    }

    /**
     * Records the gate's statistics over the pairs selected by {@code include}: {@code vcdist/active},
     * {@code vcdist/blocked_correctness}, {@code vcdist/blocked_confidence} (fractions of those pairs) and
     * {@code vcdist/valid_kl}, the mean Bernoulli KL(teacher ‖ student) over the active ones. Nothing is
     * recorded for an empty selection, and no KL without an active pair.
     */
    void record(Metrics metrics, String suffix, Tensor multiMargin, Tensor singleMargin, Verdict[] verdicts,
                boolean[] include) {
        double[] multi = Metrics.doubles(multiMargin);
        double[] single = Metrics.doubles(singleMargin);
        int pairs = 0;
        int[] counts = new int[Verdict.values().length];
        double klSum = 0;
        for (int i = 0; i < verdicts.length; i++) {
            if (!include[i]) continue;
            pairs++;
            counts[verdicts[i].ordinal()]++;
            if (verdicts[i] == Verdict.ACTIVE) klSum += bernoulliKl(multi[i], single[i]);
        }
        if (pairs == 0) return;
        double fraction = 1.0 / pairs;
        metrics.put("vcdist/active" + suffix, counts[Verdict.ACTIVE.ordinal()] * fraction);
        metrics.put("vcdist/blocked_correctness" + suffix, counts[Verdict.BLOCKED_BY_CORRECTNESS.ordinal()] * fraction);
        metrics.put("vcdist/blocked_confidence" + suffix, counts[Verdict.BLOCKED_BY_CONFIDENCE.ordinal()] * fraction);
        if (counts[Verdict.ACTIVE.ordinal()] > 0) {
            metrics.put("vcdist/valid_kl" + suffix, klSum / counts[Verdict.ACTIVE.ordinal()]);
        }
    }

    /** KL(Bernoulli(σ(a)) ‖ Bernoulli(σ(b))) from the logits, with log σ(x) = −softplus(−x). */
    static double bernoulliKl(double teacherLogit, double studentLogit) {
        double teacher = sigmoid(teacherLogit);
        return teacher * (softplus(-studentLogit) - softplus(-teacherLogit))
                + (1 - teacher) * (softplus(studentLogit) - softplus(teacherLogit));
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
