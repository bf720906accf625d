package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.vco4j.request.Condition.CONTRAST_IMAGE;
import static org.vco4j.request.Condition.IMAGE;
import static org.vco4j.request.Condition.NO_IMAGE;
import static org.vco4j.objective.Losses.negativeLogSigmoid;
import static org.vco4j.objective.Losses.times;
import static org.vco4j.request.Response.Y;
import static org.vco4j.request.Response.Y_PRIME;

/**
 * Joint Multimodal Preference Optimization (Kim &amp; Yoon, eq. 3, 7, 8): symmetric text DPO plus V-RPO, a
 * Plackett–Luce ranking of the conditions under which a response is likely: its own image, no image, the
 * contradicting image.
 *
 * <p>Ablation flags (the paper's Table 2): {@code ranking=false} replaces the listwise V-RPO by pairwise
 * terms over consecutive conditions ({@code m ≻ none}, {@code none ≻ m'}, which is VCO's attend + reject);
 * {@code symmetry=false} drops the mirrored DPO and V-RPO; {@code no_image=false} ranks only
 * {@code [m, m']}, where listwise and pairwise coincide. {@code dpo_weight=0} is "w/o text".
 *
 * <p>Metrics: {@code loss/dpo|dpo_flipped|vrpo|vrpo_flipped}, TRL's {@code rewards/...} over the text DPO of
 * both directions, {@code vrpo/accuracies} (fraction of lists scored in exactly the preferred order, both
 * directions), {@code logps/<request>}.
 */
public final class Jompo extends AbstractObjective {
    private double beta;
    private double dpoWeight;
    private double visualRankingWeight;
    private boolean ranking;
    private boolean symmetry;
    private boolean noImage;

    public Jompo() {
        super("jompo", "Joint Multimodal Preference Optimization: symmetric DPO + V-RPO ranking (Kim & Yoon)");
        positive("beta", 0.05, "temperature beta of the scores s = beta * rho", v -> beta = v);
        real("dpo_weight", 1.0, "weight of the text DPO terms (<= 0 switches them off)", v -> dpoWeight = v);
        real("vrpo_weight", 1.0, "weight of the V-RPO terms (<= 0 switches them off)", v -> visualRankingWeight = v);
        flag("ranking", true,
                "false: pairwise terms over consecutive conditions instead of Plackett-Luce", v -> ranking = v);
        flag("symmetry", true, "false: drop the mirrored direction (m', y')", v -> symmetry = v);
        flag("no_image", true, "false: rank [m, m'] without the no-image condition", v -> noImage = v);
    }

    @Override
    public List<Request> requests() {
        Set<Request> requests = new LinkedHashSet<>();
        if (dpoWeight > 0) {
            requests.addAll(List.of(Request.of(Y, IMAGE), Request.of(Y_PRIME, IMAGE)));
            if (symmetry) requests.addAll(List.of(Request.of(Y_PRIME, CONTRAST_IMAGE), Request.of(Y, CONTRAST_IMAGE)));
        }
        if (visualRankingWeight > 0) {
            for (Condition condition : rankedConditions(IMAGE, CONTRAST_IMAGE)) {
                requests.add(Request.of(Y, condition));
            }
            if (symmetry) {
                for (Condition condition : rankedConditions(CONTRAST_IMAGE, IMAGE)) {
                    requests.add(Request.of(Y_PRIME, condition));
                }
            }
        }
        return new ArrayList<>(requests);
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        // eq. 8 = DPO(m: y ≻ y') + DPO(m': y' ≻ y) + V-RPO(y; [m, ∅, m']) + V-RPO(y'; [m', ∅, m])
        if (dpoWeight > 0) {
            // eq. 3: the two responses under one image
            Tensor chosenReward = reward(table, Y, IMAGE);
            Tensor rejectedReward = reward(table, Y_PRIME, IMAGE);
            terms.add("dpo", dpoWeight, negativeLogSigmoid(chosenReward.sub(rejectedReward)).mean());
            if (symmetry) {
                Tensor flippedChosenReward = reward(table, Y_PRIME, CONTRAST_IMAGE);
                Tensor flippedRejectedReward = reward(table, Y, CONTRAST_IMAGE);
                terms.add("dpo_flipped", dpoWeight,
                        negativeLogSigmoid(flippedChosenReward.sub(flippedRejectedReward)).mean());
                chosenReward = Tensors.cat(List.of(chosenReward, flippedChosenReward), 0);
                rejectedReward = Tensors.cat(List.of(rejectedReward, flippedRejectedReward), 0);
            }
            metrics.rewards(chosenReward, rejectedReward);
        }
        if (visualRankingWeight > 0) {
            Tensor smallestGap = addVisualRanking(terms, table, "vrpo", Y, IMAGE, CONTRAST_IMAGE);
            if (symmetry) {
                Tensor flippedGap = addVisualRanking(terms, table, "vrpo_flipped", Y_PRIME, CONTRAST_IMAGE, IMAGE);
                smallestGap = Tensors.cat(List.of(smallestGap, flippedGap), 0);
            }
            metrics.fractionPositive("vrpo/accuracies", smallestGap);
        }
        return terms.output(table);
    }

    /**
     * Eq. 7: V-RPO for a response over its conditions best first, with scores {@code s_k = β·ρ(y|c_k)}.
     * Returns the smallest gap between consecutive scores, positive exactly when the list is in order.
     */
    private Tensor addVisualRanking(LossTerms terms, LogProbTable table, String name, Response response,
                                    Condition matching, Condition contradicting) {
        List<Tensor> scores = new ArrayList<>();
        for (Condition condition : rankedConditions(matching, contradicting)) {
            scores.add(reward(table, response, condition));
        }
        List<Tensor> gaps = new ArrayList<>();
        for (int k = 0; k < scores.size() - 1; k++) gaps.add(scores.get(k).sub(scores.get(k + 1)));

        Tensor loss;
        if (ranking) {
            loss = Losses.plackettLuce(scores);
        } else {
            loss = negativeLogSigmoid(gaps.get(0));
            for (Tensor gap : gaps.subList(1, gaps.size())) loss = loss.add(negativeLogSigmoid(gap));
        }
        terms.add(name, visualRankingWeight, loss.mean());

        Tensor smallestGap = gaps.get(0);
        for (Tensor gap : gaps.subList(1, gaps.size())) smallestGap = smallestGap.minimum(gap);
        return smallestGap;
    }

    private Tensor reward(LogProbTable table, Response response, Condition condition) {
        return times(beta, table.logRatio(Request.of(response, condition)));
    }

    private List<Condition> rankedConditions(Condition matching, Condition contradicting) {
        return noImage ? List.of(matching, NO_IMAGE, contradicting) : List.of(matching, contradicting);
    }

    @Override
    public String formula() {
        return """
                JoMPO (Kim & Yoon, eq. 3, 7, 8):
                  dpo           ls(beta * [rho(y|m) - rho(y'|m)])                      (eq. 3)
                  dpo_flipped   ls(beta * [rho(y'|m') - rho(y|m')])
                  vrpo          V-RPO(y; [m, none, m'])                                (eq. 7)
                  vrpo_flipped  V-RPO(y'; [m', none, m])
                  V-RPO(y; [c1..cK]) = -sum_k log( exp(s_k) / sum_{j>=k} exp(s_j) ),  s_k = beta * rho(y|c_k)
                  loss = dpo_weight * (dpo + dpo_flipped) + vrpo_weight * (vrpo + vrpo_flipped)   (eq. 8)
                ranking=false: V-RPO becomes sum_k ls(s_k - s_{k+1}); symmetry=false drops the *_flipped terms;
                no_image=false ranks [m, m'] only. rho(r) = lp(r) - lpRef(r); ls(z) = softplus(-z)""";
    }
}
