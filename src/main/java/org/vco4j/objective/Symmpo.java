package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.vco4j.objective.Losses.negativeLogSigmoid;
import static org.vco4j.objective.Losses.times;

/**
 * SymMPO (Liu et al., a baseline of the IC-VCO paper): DPO on {@code (m: y ≻ y_l)}; symmetric response
 * preferences under each image, {@code y ≻ y'} under {@code m} and {@code y' ≻ y} under {@code m'}; anchors
 * on both chosen rewards; and a small regulariser that keeps the two preference margins equal. Without a
 * rejected answer for {@code m}, set {@code dpo_weight=0}, as the IC-VCO paper does.
 *
 * <p>Metrics: {@code loss/dpo|symmetric|symmetric_flipped|anchor|anchor_flipped|margin_consistency},
 * {@code <term>/margins|accuracies} for the preference terms, TRL's {@code rewards/...} for the DPO term,
 * {@code logps/<request>}.
 */
public final class Symmpo extends AbstractObjective {
    private static final Request Y_GIVEN_M = Request.of(Response.Y, Condition.IMAGE);
    private static final Request REJECTED_GIVEN_M = Request.of(Response.REJECTED, Condition.IMAGE);
    private static final Request Y_PRIME_GIVEN_M = Request.of(Response.Y_PRIME, Condition.IMAGE);
    private static final Request Y_PRIME_GIVEN_M_PRIME = Request.of(Response.Y_PRIME, Condition.CONTRAST_IMAGE);
    private static final Request Y_GIVEN_M_PRIME = Request.of(Response.Y, Condition.CONTRAST_IMAGE);

    private double beta;
    private double dpoWeight;
    private double lambda;
    private double anchorWeight;
    private double marginRegularization;

    public Symmpo() {
        super("symmpo", "SymMPO: symmetric multimodal preference optimization (Liu et al.)");
        positive("beta", 0.1, "temperature beta of the implicit reward", v -> beta = v);
        real("dpo_weight", 1.0, "weight of DPO on (m: y > y_l); 0 for data without y_l (<= 0 switches it off)",
                v -> dpoWeight = v);
        real("lambda", 0.5, "weight of the symmetric preferences (<= 0 switches them off)", v -> lambda = v);
        real("anchor_weight", 1.0, "weight of the anchors (<= 0 switches them off)", v -> anchorWeight = v);
        real("margin_regularization", 1e-4, "weight of (h1 - h2)^2 (<= 0 switches it off)", v -> marginRegularization = v);
    }

    @Override
    public List<Request> requests() {
        Set<Request> requests = new LinkedHashSet<>();
        if (dpoWeight > 0) requests.addAll(List.of(Y_GIVEN_M, REJECTED_GIVEN_M));
        if (needsMargins()) {
            requests.addAll(List.of(Y_GIVEN_M, Y_PRIME_GIVEN_M, Y_PRIME_GIVEN_M_PRIME, Y_GIVEN_M_PRIME));
        }
        if (anchorWeight > 0) requests.addAll(List.of(Y_GIVEN_M, Y_PRIME_GIVEN_M_PRIME));
        return List.copyOf(requests);
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        if (dpoWeight > 0) {
            Tensor chosenReward = times(beta, table.logRatio(Y_GIVEN_M));
            Tensor rejectedReward = times(beta, table.logRatio(REJECTED_GIVEN_M));
            terms.add("dpo", dpoWeight, negativeLogSigmoid(chosenReward.sub(rejectedReward)).mean());
            metrics.rewards(chosenReward, rejectedReward);
        }
        if (needsMargins()) {
            // h1: y ≻ y' under m; h2: y' ≻ y under m'
            Tensor h1 = table.logRatio(Y_GIVEN_M).sub(table.logRatio(Y_PRIME_GIVEN_M));
            Tensor h2 = table.logRatio(Y_PRIME_GIVEN_M_PRIME).sub(table.logRatio(Y_GIVEN_M_PRIME));
            if (lambda > 0) {
                terms.addPreference("symmetric", lambda, times(beta, h1));
                terms.addPreference("symmetric_flipped", lambda, times(beta, h2));
            }
            if (marginRegularization > 0) {
                terms.add("margin_consistency", marginRegularization, h1.sub(h2).square().mean());
            }
        }
        if (anchorWeight > 0) {
            terms.addPreference("anchor", anchorWeight, times(beta, table.logRatio(Y_GIVEN_M)));
            terms.addPreference("anchor_flipped", anchorWeight, times(beta, table.logRatio(Y_PRIME_GIVEN_M_PRIME)));
        }
        return terms.output(table);
    }

    private boolean needsMargins() {
        return lambda > 0 || marginRegularization > 0;
    }

    @Override
    public String formula() {
        return """
                SymMPO (Liu et al.):
                  h1 = rho(y|m) - rho(y'|m),   h2 = rho(y'|m') - rho(y|m')
                  dpo                 ls(beta * [rho(y|m) - rho(y_l|m)])
                  symmetric           ls(beta * h1)
                  symmetric_flipped   ls(beta * h2)
                  anchor              ls(beta * rho(y|m))
                  anchor_flipped      ls(beta * rho(y'|m'))
                  margin_consistency  (h1 - h2)^2
                  loss = dpo_weight * dpo + lambda * (symmetric + symmetric_flipped)
                       + anchor_weight * (anchor + anchor_flipped) + margin_regularization * margin_consistency
                rho(r) = lp(r) - lpRef(r); ls(z) = softplus(-z)""";
    }
}
