package org.vco4j.objective;

import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Symmetrical Visual Contrastive Optimization (Wu et al., ACL 2025, eq. 3–7): {@link Vco one-sided VCO}
 * for {@code (m, y)} against {@code m'}, plus the same with the roles flipped, {@code (m', y')} against
 * {@code m}, so neither image is ever "the losing one".
 *
 * <p>Metrics: {@code loss/attend}, {@code loss/reject}, {@code loss/attend_flipped}, {@code loss/reject_flipped},
 * each with {@code <term>/margins|accuracies}, and {@code logps/<request>}.
 */
public final class SVco extends AbstractObjective {
    private double beta1;
    private double beta2;
    private double beta3;
    private double beta4;

    public SVco() {
        super("s-vco", "Symmetrical Visual Contrastive Optimization (Wu et al., ACL 2025)");
        real("beta1", 0.1, "attend temperature for (m, y) (<= 0 switches the term off)", v -> beta1 = v);
        real("beta2", 0.1, "reject temperature for (m, y) against m' (<= 0 switches it off)", v -> beta2 = v);
        real("beta3", 0.1, "attend temperature for (m', y') (<= 0 switches it off)", v -> beta3 = v);
        real("beta4", 0.1, "reject temperature for (m', y') against m (<= 0 switches it off)", v -> beta4 = v);
    }

    @Override
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>(
                Vco.visualContrastRequests(Response.Y, Condition.IMAGE, Condition.CONTRAST_IMAGE, beta1, beta2));
        requests.addAll(
                Vco.visualContrastRequests(Response.Y_PRIME, Condition.CONTRAST_IMAGE, Condition.IMAGE, beta3, beta4));
        return requests;
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        // eq. 7 = eq. 5 for (m, y; m') + eq. 6, its flip (m', y'; m)
        Vco.addVisualContrast(terms, table, Response.Y, Condition.IMAGE, Condition.CONTRAST_IMAGE,
                beta1, beta2, "");
        Vco.addVisualContrast(terms, table, Response.Y_PRIME, Condition.CONTRAST_IMAGE, Condition.IMAGE,
                beta3, beta4, "_flipped");
        return terms.output(table);
    }

    @Override
    public String formula() {
        return """
                S-VCO (Wu et al., eq. 3-7):
                  attend          ls(beta1 * [rho(y|m) - rho(y|none)])       (eq. 3)
                  reject          ls(beta2 * [rho(y|none) - rho(y|m')])      (eq. 4)
                  attend_flipped  ls(beta3 * [rho(y'|m') - rho(y'|none)])    (eq. 6)
                  reject_flipped  ls(beta4 * [rho(y'|none) - rho(y'|m)])     (eq. 6)
                  loss = attend + reject + attend_flipped + reject_flipped  (eq. 7)
                none = the same chat with no image slot; rho(r) = lp(r) - lpRef(r); ls(z) = softplus(-z)
                a temperature <= 0 switches its term off""";
    }
}
