package org.vco4j.objective;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;

import java.util.ArrayList;
import java.util.List;

import static org.vco4j.objective.Losses.negativeLogSigmoid;
import static org.vco4j.objective.Losses.times;

/**
 * mDPO (Wang et al.): DPO on {@code (m: y ≻ y_l)}, plus a conditional term that prefers the full image
 * over a random crop of it for the chosen answer, plus an anchor that keeps the chosen reward above δ.
 * The scorer draws one crop per sample and uses it for policy and reference alike (the reference code
 * draws two; one crop keeps the log-ratio a comparison of the same input).
 *
 * <p>Metrics: {@code loss/dpo}, {@code loss/conditional}, {@code loss/anchor},
 * {@code conditional/margins|accuracies}, {@code anchor/margins|accuracies}, TRL's {@code rewards/...} and
 * {@code logps/chosen|rejected}, {@code logps/<request>}.
 */
public final class Mdpo extends AbstractObjective {
    private static final Request CHOSEN = Request.of(Response.Y, Condition.IMAGE);
    private static final Request REJECTED = Request.of(Response.REJECTED, Condition.IMAGE);
    private static final Request CHOSEN_GIVEN_CROP = Request.of(Response.Y, Condition.CROPPED_IMAGE);

    private double beta;
    private double conditionalWeight;
    private double anchorWeight;
    private double anchorDelta;

    public Mdpo() {
        super("mdpo", "mDPO (Wang et al.): DPO + crop-conditional preference + reward anchor");
        positive("beta", 0.1, "temperature beta shared by the three terms", v -> beta = v);
        real("conditional_weight", 1.0,
                "weight of the image-conditional term (<= 0 switches it off)", v -> conditionalWeight = v);
        real("anchor_weight", 1.0, "weight of the anchor term (<= 0 switches it off)", v -> anchorWeight = v);
        real("anchor_delta", 0.0, "the reward the anchor keeps the chosen answer above", v -> anchorDelta = v);
    }

    @Override
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>(List.of(CHOSEN, REJECTED));
        if (conditionalWeight > 0) requests.add(CHOSEN_GIVEN_CROP);
        return requests;
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        Tensor chosenReward = times(beta, table.logRatio(CHOSEN));
        Tensor rejectedReward = times(beta, table.logRatio(REJECTED));
        // DPO on the responses (S-VCO eq. 1)
        terms.add("dpo", 1.0, negativeLogSigmoid(chosenReward.sub(rejectedReward)).mean());
        if (conditionalWeight > 0) {
            // the full image must explain the chosen answer better than a crop of it (S-VCO eq. 2)
            Tensor croppedReward = times(beta, table.logRatio(CHOSEN_GIVEN_CROP));
            terms.addPreference("conditional", conditionalWeight, chosenReward.sub(croppedReward));
        }
        if (anchorWeight > 0) {
            terms.addPreference("anchor", anchorWeight, chosenReward.sub(new Scalar(anchorDelta)));
        }
        metrics.preference(chosenReward, rejectedReward, table.policy(CHOSEN), table.policy(REJECTED));
        return terms.output(table);
    }

    @Override
    public String formula() {
        return """
                mDPO: r(c) = beta * rho(c)
                  dpo          ls(r(y|m) - r(y_l|m))
                  conditional  ls(r(y|m) - r(y|m_crop))      m_crop keeps a random 1-20 % of m's area
                  anchor       ls(r(y|m) - anchor_delta)
                  loss = dpo + conditional_weight * conditional + anchor_weight * anchor
                rho(r) = lp(r) - lpRef(r); ls(z) = -log sigmoid(z) = softplus(-z)""";
    }
}
