package org.vco4j.objective;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.tensor.Tensors;

import java.util.List;

/** The few numerically careful building blocks the objectives share. All work per sample on {@code [B]} tensors. */
final class Losses {
    private Losses() {}

    /** {@code ls(z) = −log σ(z)}, as softplus(−z): finite for any finite z, where log(sigmoid(z)) underflows. */
    static Tensor negativeLogSigmoid(Tensor z) {
        return torch.softplus(z.neg());
    }

    /** {@code factor · tensor}. */
    static Tensor times(double factor, Tensor tensor) {
        return tensor.mul(new Scalar(factor));
    }

    /**
     * The Plackett–Luce negative log-likelihood of the order {@code scores[0] ≻ scores[1] ≻ ...}:
     * {@code −Σ_k log( exp(s_k) / Σ_{j≥k} exp(s_j) )}, each denominator as a log-sum-exp.
     */
    static Tensor plackettLuce(List<Tensor> scoresBestFirst) {
        Tensor loss = null;
        // The last position is certain (its probability is 1), so it adds nothing.
        for (int k = 0; k < scoresBestFirst.size() - 1; k++) {
            List<Tensor> remaining = scoresBestFirst.subList(k, scoresBestFirst.size());
            Tensor position = torch.logsumexp(Tensors.stack(remaining, 1), 1).sub(scoresBestFirst.get(k));
            loss = loss == null ? position : loss.add(position);
        }
        return loss;
    }

    /**
     * {@code −[t·log σ(z) + (1−t)·log(1−σ(z))]}, the Bernoulli cross-entropy of a student with logit z
     * against a teacher probability t, written with softplus so that a saturated student stays finite.
     */
    static Tensor bernoulliCrossEntropy(Tensor teacherProbability, Tensor studentLogit) {
        Tensor oneMinusTeacher = teacherProbability.neg().add(new Scalar(1.0));
        return teacherProbability.mul(torch.softplus(studentLogit.neg()))
                .add(oneMinusTeacher.mul(torch.softplus(studentLogit)));
    }
}
