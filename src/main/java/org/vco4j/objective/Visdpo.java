package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;

import java.util.ArrayList;
import java.util.List;

import static org.vco4j.objective.Losses.times;

/**
 * Visual preference DPO, as the IC-VCO paper writes it (eq. 5–6): the same response is preferred under the
 * image it is true of over the contrasting image; with {@code symmetric}, also the mirrored pair for
 * {@code y'}. The IC-VCO paper uses it to show the bias of comparing two different conditions: their
 * partition functions do not cancel.
 *
 * <p>Metrics: {@code loss/visual}, {@code loss/visual_flipped}, {@code visual/margins|accuracies},
 * {@code visual_flipped/margins|accuracies}, {@code logps/<request>}.
 */
public final class Visdpo extends AbstractObjective {
    private static final Request Y_GIVEN_M = Request.of(Response.Y, Condition.IMAGE);
    private static final Request Y_GIVEN_M_PRIME = Request.of(Response.Y, Condition.CONTRAST_IMAGE);
    private static final Request Y_PRIME_GIVEN_M_PRIME = Request.of(Response.Y_PRIME, Condition.CONTRAST_IMAGE);
    private static final Request Y_PRIME_GIVEN_M = Request.of(Response.Y_PRIME, Condition.IMAGE);

    private double beta;
    private boolean symmetric;

    public Visdpo() {
        super("visdpo", "visual preference DPO across two images (IC-VCO paper, eq. 5-6)");
        positive("beta", 0.1, "temperature beta of the implicit reward", v -> beta = v);
        flag("symmetric", true, "add the mirrored pair for y' (eq. 6)", v -> symmetric = v);
    }

    @Override
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>(List.of(Y_GIVEN_M, Y_GIVEN_M_PRIME));
        if (symmetric) requests.addAll(List.of(Y_PRIME_GIVEN_M_PRIME, Y_PRIME_GIVEN_M));
        return requests;
    }

    @Override
    public ObjectiveOutput compute(LogProbTable table) {
        Metrics metrics = new Metrics();
        LossTerms terms = new LossTerms(name(), metrics);
        // eq. 5: y under m ≻ y under m'
        Tensor margin = times(beta, table.logRatio(Y_GIVEN_M).sub(table.logRatio(Y_GIVEN_M_PRIME)));
        terms.addPreference("visual", 1.0, margin);
        if (symmetric) {
            // eq. 6: y' under m' ≻ y' under m
            Tensor flippedMargin =
                    times(beta, table.logRatio(Y_PRIME_GIVEN_M_PRIME).sub(table.logRatio(Y_PRIME_GIVEN_M)));
            terms.addPreference("visual_flipped", 1.0, flippedMargin);
        }
        return terms.output(table);
    }

    @Override
    public String formula() {
        return """
                VisDPO (IC-VCO paper eq. 5-6):
                  visual          ls(beta * [rho(y|m) - rho(y|m')])        (eq. 5)
                  visual_flipped  ls(beta * [rho(y'|m') - rho(y'|m)])      (eq. 6, when symmetric)
                  loss = visual + visual_flipped
                rho(r) = lp(r) - lpRef(r); ls(z) = -log sigmoid(z) = softplus(-z)""";
    }
}
