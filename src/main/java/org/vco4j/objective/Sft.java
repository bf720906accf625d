package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Supervised fine-tuning: per sample, the mean over response tokens of {@code −log π(token | m, x)}; the
 * batch loss is the mean over samples. With {@code both_pairs}, {@code (m', y')} is a second training pair,
 * as in the S-VCO paper's SFT ablation. Reads no reference log-probs ({@link #usesReference()} is false).
 *
 * <p>Metrics: {@code loss/sft}, {@code nll/<request>} (mean per-token negative log-likelihood),
 * {@code logps/<request>}.
 */
public final class Sft extends AbstractObjective {
    private static final Request Y_GIVEN_M = Request.of(Response.Y, Condition.IMAGE);
    private static final Request Y_PRIME_GIVEN_M_PRIME = Request.of(Response.Y_PRIME, Condition.CONTRAST_IMAGE);
    private static final Request Y_GIVEN_BOTH = Request.of(Response.Y, Condition.BOTH_IMAGES_ANCHORED_TO_IMAGE);
    private static final Request Y_PRIME_GIVEN_BOTH = Request.of(Response.Y_PRIME, Condition.BOTH_IMAGES_ANCHORED_TO_CONTRAST);

    private boolean bothPairs;
    private boolean twoImageContext;

    public Sft() {
        super("sft", "supervised fine-tuning on the response true of each image");
        flag("both_pairs", false, "also train on (m', y'), as the S-VCO paper's SFT ablation does", v -> bothPairs = v);
        flag("two_image_context", false,
                "train on both images in one context instead: y|M,x^ and y'|M,x^' (teaches the anchor prompts IC-VCO uses)",
                v -> twoImageContext = v);
    }

    @Override
    public List<Request> requests() {
        if (twoImageContext) return List.of(Y_GIVEN_BOTH, Y_PRIME_GIVEN_BOTH);
        return bothPairs ? List.of(Y_GIVEN_M, Y_PRIME_GIVEN_M_PRIME) : List.of(Y_GIVEN_M);
    }

    /** In the two-image context each sample shows [m, m'] or [m', m] with equal chance, so position is not a shortcut. */
    @Override
    public boolean[] drawSwaps(int batchSize, java.util.random.RandomGenerator random) {
        boolean[] swaps = new boolean[batchSize];
        if (twoImageContext) for (int i = 0; i < batchSize; i++) swaps[i] = random.nextBoolean();
        return swaps;
    }

    @Override
    public boolean usesReference() {
        return false;
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        List<Tensor> pairs = new ArrayList<>();
        for (Request pair : requests()) {
            Tensor tokenMeanNll = table.policy(pair).neg().div(table.tokenCounts(pair));
            metrics.mean("nll/" + pair.name(), tokenMeanNll);
            pairs.add(tokenMeanNll);
        }
        // Both pairs count as training examples of their own: the loss is the mean over all of them.
        Tensor perPair = pairs.size() == 1 ? pairs.get(0) : Tensors.cat(pairs, 0);
        LossTerms terms = new LossTerms(name(), metrics);
        terms.add("sft", 1.0, perPair.mean());
        return terms.output(table);
    }

    @Override
    public String formula() {
        return """
                SFT: loss = mean over samples of  -lp(y|m) / n(y|m)
                     lp = summed log-prob of the response tokens, n = number of response tokens
                     both_pairs=true: the mean runs over the pairs (m, y) and (m', y') alike
                     two_image_context=true: the pairs are (M,x^ -> y) and (M,x^' -> y'), image order drawn per sample""";
    }
}
