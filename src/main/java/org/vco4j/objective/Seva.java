package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

import static org.vco4j.objective.Losses.negativeLogSigmoid;
import static org.vco4j.objective.Losses.times;

/**
 * SeVa (Zhu et al.): DPO on self-generated pairs, the greedy answer on the image ({@code y}) against the
 * greedy answers on augmented images ({@code y_l}, {@code y_l2}, ...), all scored under the original image.
 * With one negative it is DPO (eq. 7); with k it is the InfoNCE-like multi-negative form (appendix eq. 16),
 * or optionally the appendix's literal eq. 18.
 *
 * <p>Metrics: {@code loss/seva}; {@code rewards/chosen}, {@code rewards/rejected} (mean over negatives),
 * {@code rewards/margins} (chosen minus the best negative), {@code rewards/accuracies} (chosen above every
 * negative); {@code logps/chosen}, {@code logps/rejected} (mean over negatives); {@code logps/<request>}.
 */
public final class Seva extends AbstractObjective {
    private static final Request CHOSEN = Request.of(Response.Y, Condition.IMAGE);

    private double beta;
    private int negatives;
    private String multiNegativeForm;

    public Seva() {
        super("seva", "SeVa: DPO on self-generated pairs from augmented images, with k negatives (Zhu et al.)");
        positive("beta", 0.1, "temperature beta of the implicit reward", v -> beta = v);
        count("negatives", 1, 1, "rejected answers per sample (augmented views)", v -> negatives = v);
        choice("multi_negative_form", "eq16", List.of("eq16", "eq18"),
                "eq16: -log softmax of the chosen reward; eq18: ls(r_c - sum of rejected rewards)", v -> multiNegativeForm = v);
    }

    @Override
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>(List.of(CHOSEN));
        for (int k = 1; k <= negatives; k++) requests.add(rejected(k));
        return requests;
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Tensor chosenReward = times(beta, table.logRatio(CHOSEN));
        List<Tensor> rejectedRewards = new ArrayList<>();
        List<Tensor> rejectedLogps = new ArrayList<>();
        for (int k = 1; k <= negatives; k++) {
            rejectedRewards.add(times(beta, table.logRatio(rejected(k))));
            rejectedLogps.add(table.policy(rejected(k)));
        }
        Tensor rejected = Tensors.stack(rejectedRewards, 1); // [B, k]
        Tensor loss;
        if (multiNegativeForm.equals("eq16")) {
            // eq. 16: −log( exp(r_c) / (exp(r_c) + Σ_r exp(r_r)) ), one negative: DPO (eq. 7)
            List<Tensor> all = new ArrayList<>(List.of(chosenReward));
            all.addAll(rejectedRewards);
            loss = torch.logsumexp(Tensors.stack(all, 1), 1).sub(chosenReward);
        } else {
            // eq. 18: ls(r_c − Σ_r r_r)
            loss = negativeLogSigmoid(chosenReward.sub(rejected.sum(1)));
        }

        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        terms.add("seva", 1.0, loss.mean());
        Tensor hardestRejected = rejected.amax(new long[] {1}, false);
        metrics.mean("rewards/chosen", chosenReward);
        metrics.mean("rewards/rejected", rejected.mean(1));
        metrics.mean("rewards/margins", chosenReward.sub(hardestRejected));
        metrics.fractionPositive("rewards/accuracies", chosenReward.sub(hardestRejected));
        metrics.chosenAndRejectedLogps(table.policy(CHOSEN), Tensors.stack(rejectedLogps, 1).mean(1));
        return terms.output(table);
    }

    private static Request rejected(int k) {
        return Request.of(Response.rejected(k), Condition.IMAGE);
    }

    @Override
    public String formula() {
        return """
                SeVa (Zhu et al.): r_c = beta * rho(y|m), r_k = beta * rho(y_lk|m) for k = 1..negatives
                  eq16 (default): loss = -log( exp(r_c) / (exp(r_c) + sum_k exp(r_k)) )    (appendix eq. 16)
                  eq18:           loss = ls(r_c - sum_k r_k)                               (appendix eq. 18)
                  one negative: both are DPO, ls(r_c - r_1)                                (eq. 7)
                y = greedy answer on the image, y_lk = greedy answer on the k-th augmented image (both scored
                under the original image). rho(r) = lp(r) - lpRef(r); ls(z) = softplus(-z)""";
    }
}
