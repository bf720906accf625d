package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;

import java.util.List;

import static org.vco4j.objective.Losses.negativeLogSigmoid;
import static org.vco4j.objective.Losses.times;

/**
 * Direct Preference Optimization (Rafailov et al.) on {@code (m: y ≻ y_l)}, with optional label smoothing
 * (conservative DPO). Symmetric samples without a rejected answer are split by the data layer into the
 * pairs {@code (m: y ≻ y')} and {@code (m': y' ≻ y)}, as the IC-VCO paper's baselines do.
 *
 * <p>Metrics: {@code loss/dpo}, TRL's {@code rewards/chosen|rejected|margins|accuracies} and
 * {@code logps/chosen|rejected}, {@code logps/<request>}.
 */
public final class Dpo extends AbstractObjective {
    private static final Request CHOSEN = Request.of(Response.Y, Condition.IMAGE);
    private static final Request REJECTED = Request.of(Response.REJECTED, Condition.IMAGE);

    private double beta;
    private double labelSmoothing;

    public Dpo() {
        super("dpo", "Direct Preference Optimization (Rafailov et al.), optionally label-smoothed");
        positive("beta", 0.1, "temperature beta of the implicit reward r = beta * rho", v -> beta = v);
        between("label_smoothing", 0.0, 0.0, 0.5,
                "probability that a preference label is flipped (conservative DPO)", v -> labelSmoothing = v);
    }

    @Override
    public List<Request> requests() {
        return List.of(CHOSEN, REJECTED);
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Tensor chosenReward = times(beta, table.logRatio(CHOSEN));
        Tensor rejectedReward = times(beta, table.logRatio(REJECTED));
        Tensor margin = chosenReward.sub(rejectedReward);
        // DPO (S-VCO eq. 1, IC-VCO eq. 4, JoMPO eq. 3, SeVa eq. 7), smoothed: (1 − ε)·ls(z) + ε·ls(−z)
        Tensor loss = times(1 - labelSmoothing, negativeLogSigmoid(margin))
                .add(times(labelSmoothing, negativeLogSigmoid(margin.neg())));

        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        terms.add("dpo", 1.0, loss.mean());
        metrics.preference(chosenReward, rejectedReward, table.policy(CHOSEN), table.policy(REJECTED));
        return terms.output(table);
    }

    @Override
    public String formula() {
        return """
                DPO: z = beta * [rho(y|m) - rho(y_l|m)]
                     loss = (1 - label_smoothing) * ls(z) + label_smoothing * ls(-z)
                rho(r) = lp(r) - lpRef(r), the policy/reference log-ratio of a summed response log-prob
                ls(z) = -log sigmoid(z), computed as softplus(-z)""";
    }
}
