package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.vco4j.request.Condition.BOTH_IMAGES_ANCHORED_TO_CONTRAST;
import static org.vco4j.request.Condition.BOTH_IMAGES_ANCHORED_TO_IMAGE;
import static org.vco4j.request.Condition.CONTRAST_IMAGE;
import static org.vco4j.request.Condition.IMAGE;
import static org.vco4j.objective.Losses.times;
import static org.vco4j.request.Response.Y;
import static org.vco4j.request.Response.Y_PRIME;

/**
 * In-Context Visual Contrastive Optimization (Deng et al., ICML 2026, eq. 9–15).
 *
 * <p>Both images sit in one context {@code M = [m, m']} (order drawn per sample, see {@link #drawSwaps}) and
 * an anchor sentence says which one to answer about, so {@code y ≻ y'} is compared under one shared
 * condition and its partition function cancels (multi-image branch, eq. 9). A single-image DPO branch over
 * the token-masked responses (eq. 10) keeps inference-time behaviour, VCDist (eq. 11, see {@link VcDist})
 * distils the multi-image preference into it, and anchors (eq. 12–13) keep the chosen likelihoods up. The
 * total (eq. 15) adds the mirrored direction {@code (m': y' ≻ y)}.
 *
 * <p>Both directions are stacked into 2B pairs: eq. 14 halves each direction and eq. 15 adds the two, so
 * every term is a plain mean over the 2B pairs. VCDist is averaged over the active pairs within each
 * direction, then the two directions are averaged the same way.
 *
 * <p>The flags reproduce the paper's ablation table (Table 4). The token mask applies to the whole
 * single-image branch (eq. 10, its anchor eq. 12 and the student of eq. 11); the multi-image branch always
 * scores full responses.
 *
 * <p>Metrics: {@code loss/multi|multi_anchor|single|single_anchor|vcdist}, {@code multi/margins|accuracies},
 * {@code single/margins|accuracies}, {@code vcdist/active|blocked_correctness|blocked_confidence|valid_kl},
 * the accuracies and VCDist metrics again with {@code _first} / {@code _second} for pairs whose anchor named
 * the first / second image, and {@code logps/<request>}.
 */
public final class IcVco extends AbstractObjective {
    // both images in one context, the prompt anchored to m (x^) or to m' (x^')
    private static final Request Y_GIVEN_X_HAT = Request.of(Y, BOTH_IMAGES_ANCHORED_TO_IMAGE);
    private static final Request Y_PRIME_GIVEN_X_HAT = Request.of(Y_PRIME, BOTH_IMAGES_ANCHORED_TO_IMAGE);
    private static final Request Y_PRIME_GIVEN_X_HAT_PRIME = Request.of(Y_PRIME, BOTH_IMAGES_ANCHORED_TO_CONTRAST);
    private static final Request Y_GIVEN_X_HAT_PRIME = Request.of(Y, BOTH_IMAGES_ANCHORED_TO_CONTRAST);

    private double beta;
    private double lambda1;
    private double lambda2;
    private double eta1;
    private double eta2;
    private double gamma;
    private double tau;
    private double swapProbability;
    private boolean vcdist;
    private boolean singleBranch;
    private boolean anchors;
    private boolean gate;
    private boolean stopGradient;
    private boolean tokenMask;

    public IcVco() {
        super("ic-vco", "In-Context Visual Contrastive Optimization (Deng et al., ICML 2026)");
        positive("beta", 0.1, "temperature beta of the implicit reward", v -> beta = v);
        real("lambda1", 0.75, "weight of the multi-image branch (<= 0 switches it off)", v -> lambda1 = v);
        real("lambda2", 1.75, "weight of the single-image preference (<= 0 switches it off)", v -> lambda2 = v);
        real("eta1", 1.0, "weight of the multi-image anchor, eq. 13 (<= 0 switches it off)", v -> eta1 = v);
        real("eta2", 1.0, "weight of the single-image anchor, eq. 12 (<= 0 switches it off)", v -> eta2 = v);
        real("gamma", 0.3, "weight of VCDist, eq. 11; the public code uses 0.4 (<= 0 switches it off)", v -> gamma = v);
        between("tau", 0.5, 0.0, 1.0, "VCDist correctness gate: the teacher must exceed tau", v -> tau = v);
        between("swap_probability", 0.5, 0.0, 1.0,
                "probability that a sample shows its images as [m', m]", v -> swapProbability = v);
        flag("vcdist", true, "false: the ablation w/o L_VCDist", v -> vcdist = v);
        flag("single_branch", true,
                "false: the ablation w/o single-image branch (drops VCDist too)", v -> singleBranch = v);
        flag("anchors", true, "false: the ablation w/o L_Anc (both anchors)", v -> anchors = v);
        flag("gate", true, "false: VCDist w/o dual-gating (every pair is distilled)", v -> gate = v);
        flag("stop_gradient", true, "false: VCDist w/o stop-gradient on the teacher", v -> stopGradient = v);
        flag("token_mask", true, "false: the single-image branch scores full responses", v -> tokenMask = v);
    }

    @Override
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        if (needsMultiImage()) {
            requests.addAll(
                    List.of(Y_GIVEN_X_HAT, Y_PRIME_GIVEN_X_HAT, Y_PRIME_GIVEN_X_HAT_PRIME, Y_GIVEN_X_HAT_PRIME));
        }
        if (needsSingleImage()) {
            requests.addAll(List.of(single(Y, IMAGE), single(Y_PRIME, IMAGE),
                    single(Y_PRIME, CONTRAST_IMAGE), single(Y, CONTRAST_IMAGE)));
        }
        return requests;
    }

    /** Per sample, true with probability {@code swap_probability}: the context is then {@code [m', m]}. */
    @Override
    public boolean[] drawSwaps(int batchSize, RandomGenerator random) {
        boolean[] swapped = new boolean[batchSize];
        for (int i = 0; i < batchSize; i++) swapped[i] = random.nextDouble() < swapProbability;
        return swapped;
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        boolean[] anchorNamesFirstImage = anchorNamesFirstImage(table);
        boolean[] anchorNamesSecondImage = negate(anchorNamesFirstImage);

        // Pair i is the direction (m: y ≻ y') under x^, pair B + i its mirror (m': y' ≻ y) under x^' (eq. 15).
        Tensor multiChosen = null;
        Tensor multiMargin = null;
        if (needsMultiImage()) {
            multiChosen = bothDirections(table, Y_GIVEN_X_HAT, Y_PRIME_GIVEN_X_HAT_PRIME);
            Tensor multiRejected = bothDirections(table, Y_PRIME_GIVEN_X_HAT, Y_GIVEN_X_HAT_PRIME);
            multiMargin = times(beta, multiChosen.sub(multiRejected)); // eq. 9
        }
        Tensor singleChosen = null;
        Tensor singleMargin = null;
        if (needsSingleImage()) {
            singleChosen = bothDirections(table, single(Y, IMAGE), single(Y_PRIME, CONTRAST_IMAGE));
            Tensor singleRejected = bothDirections(table, single(Y_PRIME, IMAGE), single(Y, CONTRAST_IMAGE));
            singleMargin = times(beta, singleChosen.sub(singleRejected)); // eq. 10
        }

        // eq. 14 per direction, summed over both directions (eq. 15) = the mean over the 2B pairs
        if (lambda1 > 0) {
            terms.addPreference("multi", lambda1, multiMargin);
            metrics.fractionPositive("multi/accuracies_first", multiMargin, anchorNamesFirstImage);
            metrics.fractionPositive("multi/accuracies_second", multiMargin, anchorNamesSecondImage);
            if (anchors && eta1 > 0) {
                terms.addPreference("multi_anchor", lambda1 * eta1, times(beta, multiChosen)); // eq. 13
            }
        }
        if (singleBranchOn()) {
            terms.addPreference("single", lambda2, singleMargin);
            metrics.fractionPositive("single/accuracies_first", singleMargin, anchorNamesFirstImage);
            metrics.fractionPositive("single/accuracies_second", singleMargin, anchorNamesSecondImage);
            if (anchors && eta2 > 0) {
                terms.addPreference("single_anchor", lambda2 * eta2, times(beta, singleChosen)); // eq. 12
            }
        }
        if (multiMargin != null && singleMargin != null) {
            VcDist distillation = new VcDist(tau, gate, stopGradient);
            VcDist.Verdict[] verdicts = distillation.gate(multiMargin, singleMargin);
            if (vcdistOn()) {
                Tensor distillationLoss = distillationBothDirections(distillation, multiMargin, singleMargin, verdicts);
                terms.add("vcdist", gamma, distillationLoss); // eq. 11
            }
            // The gate's statistics are reported even with VCDist switched off, to compare ablations.
            boolean[] everyPair = new boolean[verdicts.length];
            Arrays.fill(everyPair, true);
            distillation.record(metrics, "", multiMargin, singleMargin, verdicts, everyPair);
            distillation.record(metrics, "_first", multiMargin, singleMargin, verdicts, anchorNamesFirstImage);
            distillation.record(metrics, "_second", multiMargin, singleMargin, verdicts, anchorNamesSecondImage);
        }
        return terms.output(table);
    }

    /**
     * Eq. 11 within each direction, averaged over that direction's active pairs; eq. 14 halves each
     * direction and eq. 15 adds them, so the term is the mean of the two directions' values.
     */
    private static Tensor distillationBothDirections(VcDist distillation, Tensor multiMargin, Tensor singleMargin,
                                                     VcDist.Verdict[] verdicts) {
        int batch = verdicts.length / 2;
        Tensor direction = distillation.loss(multiMargin.narrow(0, 0, batch), singleMargin.narrow(0, 0, batch),
                Arrays.copyOfRange(verdicts, 0, batch));
        Tensor mirror = distillation.loss(multiMargin.narrow(0, batch, batch), singleMargin.narrow(0, batch, batch),
                Arrays.copyOfRange(verdicts, batch, 2 * batch));
        return times(0.5, direction.add(mirror));
    }

    private boolean singleBranchOn() {
        return singleBranch && lambda2 > 0;
    }

    private boolean vcdistOn() {
        return singleBranch && vcdist && gamma > 0;
    }

    /** The teacher of VCDist needs the multi-image margins even when λ1 switches that branch's loss off. */
    private boolean needsMultiImage() {
        return lambda1 > 0 || vcdistOn();
    }

    private boolean needsSingleImage() {
        return singleBranchOn() || vcdistOn();
    }

    private Request single(Response response, Condition image) {
        return new Request(response, image, tokenMask);
    }

    /** {@code ρ(direction)} for the B samples, then {@code ρ(mirror)} for the same samples: shape {@code [2B]}. */
    private static Tensor bothDirections(LogProbTable table, Request direction, Request mirror) {
        return Tensors.cat(List.of(table.logRatio(direction), table.logRatio(mirror)), 0);
    }

    /** Per stacked pair: x^ names m, first unless swapped; x^' names m', first only when swapped. */
    private static boolean[] anchorNamesFirstImage(LogProbTable table) {
        int batch = table.batchSize();
        boolean[] first = new boolean[2 * batch];
        for (int i = 0; i < batch; i++) {
            first[i] = !table.swapped(i);
            first[batch + i] = table.swapped(i);
        }
        return first;
    }

    private static boolean[] negate(boolean[] flags) {
        boolean[] negated = new boolean[flags.length];
        for (int i = 0; i < flags.length; i++) negated[i] = !flags[i];
        return negated;
    }

    @Override
    public String formula() {
        return """
                IC-VCO (Deng et al., eq. 9-15), for the direction (m: y > y'):
                  M = [m, m'] in one context (order swapped per sample with swap_probability);
                  x^ = x + an anchor sentence naming m's position ("Answer based on the first/second image.")
                  z_M = beta * [rho(y|M,x^) - rho(y'|M,x^)]               multi   = ls(z_M)           (eq. 9)
                  z_S = beta * [rho(y|m[mask]) - rho(y'|m[mask])]         single  = ls(z_S)           (eq. 10)
                  multi_anchor  = ls(beta * rho(y|M,x^))                                             (eq. 13)
                  single_anchor = ls(beta * rho(y|m[mask]))                                          (eq. 12)
                  VCDist: t = sg(sigmoid(z_M)), p = sigmoid(z_S); a pair is active when t > tau and p < t;
                          vcdist = mean over active pairs of -[t*log(p) + (1-t)*log(1-p)], 0 if none  (eq. 11)
                  direction = 1/2 * [lambda1*(multi + eta1*multi_anchor)
                                     + lambda2*(single + eta2*single_anchor) + gamma*vcdist]          (eq. 14)
                loss = direction (m: y > y') + mirrored direction (m': y' > y, prompts x^')          (eq. 15)
                [mask] = summed over the token mask only (token_mask=true); rho(r) = lp(r) - lpRef(r);
                ls(z) = -log sigmoid(z) = softplus(-z); sg = stop-gradient (stop_gradient=true)""";
    }
}
