package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;

import java.util.ArrayList;
import java.util.List;

import static org.vco4j.objective.Losses.times;

/**
 * One-sided Visual Contrastive Optimization (S-VCO paper, eq. 3–5). The pivot is the same response with no
 * image: the matching image {@code m} must raise {@code y} above it (attend), the contradicting image
 * {@code m'} must push {@code y} below it (reject). {@link SVco} adds the flipped direction.
 *
 * <p>Metrics: {@code loss/attend}, {@code loss/reject}, {@code attend/margins|accuracies},
 * {@code reject/margins|accuracies}, {@code logps/<request>}.
 */
public final class Vco extends AbstractObjective {
    private double betaAttend;
    private double betaReject;

    public Vco() {
        super("vco", "one-sided Visual Contrastive Optimization (Wu et al., S-VCO paper eq. 5)");
        real("beta1", 0.1, "temperature of the attend term, eq. 3 (<= 0 switches it off)", v -> betaAttend = v);
        real("beta2", 0.1, "temperature of the reject term, eq. 4 (<= 0 switches it off)", v -> betaReject = v);
    }

    @Override
    public List<Request> requests() {
        return visualContrastRequests(Response.Y, Condition.IMAGE, Condition.CONTRAST_IMAGE, betaAttend, betaReject);
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        // eq. 5 = attend (eq. 3) + reject (eq. 4) for (m, y) against m'
        addVisualContrast(terms, table, Response.Y, Condition.IMAGE, Condition.CONTRAST_IMAGE,
                betaAttend, betaReject, "");
        return terms.output(table);
    }

    /**
     * Adds attend (eq. 3) and reject (eq. 4) for a response that {@code matching} shows and
     * {@code contradicting} contradicts; a term whose temperature is ≤ 0 is left out. Term names get
     * {@code suffix} (S-VCO's flipped direction uses {@code _flipped}).
     */
    static void addVisualContrast(LossTerms terms, LogProbTable table, Response response, Condition matching,
                                  Condition contradicting, double betaAttend, double betaReject, String suffix) {
        if (betaAttend <= 0 && betaReject <= 0) return;
        Tensor withoutImage = table.logRatio(Request.of(response, Condition.NO_IMAGE));
        if (betaAttend > 0) {
            // eq. 3: ls(β1·[ρ(y|m) − ρ(y|∅)])
            Tensor attend = times(betaAttend, table.logRatio(Request.of(response, matching)).sub(withoutImage));
            terms.addPreference("attend" + suffix, 1.0, attend);
        }
        if (betaReject > 0) {
            // eq. 4: ls(β2·[ρ(y|∅) − ρ(y|m')])
            Tensor reject = times(betaReject, withoutImage.sub(table.logRatio(Request.of(response, contradicting))));
            terms.addPreference("reject" + suffix, 1.0, reject);
        }
    }

    /** The requests {@link #addVisualContrast} reads with the same arguments. */
    static List<Request> visualContrastRequests(Response response, Condition matching, Condition contradicting,
                                                double betaAttend, double betaReject) {
        List<Request> requests = new ArrayList<>();
        if (betaAttend > 0) requests.add(Request.of(response, matching));
        if (betaReject > 0) requests.add(Request.of(response, contradicting));
        if (betaAttend > 0 || betaReject > 0) requests.add(Request.of(response, Condition.NO_IMAGE));
        return requests;
    }

    @Override
    public String formula() {
        return """
                VCO (S-VCO paper eq. 3-5), for the response y true of m and contradicted by m':
                  attend  ls(beta1 * [rho(y|m) - rho(y|none)])      (eq. 3)
                  reject  ls(beta2 * [rho(y|none) - rho(y|m')])     (eq. 4)
                  loss = attend + reject                            (eq. 5)
                none = the same chat with no image slot; rho(r) = lp(r) - lpRef(r); ls(z) = softplus(-z)""";
    }
}
