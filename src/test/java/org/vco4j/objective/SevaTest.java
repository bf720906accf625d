package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class SevaTest {
    // β = 0.1: r_c = 0.1·2 = 0.2, negatives r = 0.1·[−2, 0, 1] = [−0.2, 0, 0.1]
    private static LogProbValues example(Objective seva) {
        return LogProbValues.neutral(seva, 1).logRatio("y|m", 2).logRatio("y_l|m", -2).logRatio("y_l2|m", 0)
                .logRatio("y_l3|m", 1);
    }

    @Test
    void oneNegativeIsDpo() {
        Objective seva = objective("seva");
        Objective dpo = objective("dpo");
        assertEquals(dpo.requests(), seva.requests());
        LogProbValues values = LogProbValues.random(seva, 5, 41);
        assertEquals(loss(dpo, values), loss(seva, values), 1e-12);
        assertEquals(loss(dpo, values), loss(objective("seva", "multi_negative_form=eq18"), values), 1e-12);
    }

    @Test
    void multiNegativeSoftmaxOfEquationSixteen() {
        Objective seva = objective("seva", "negatives=3");
        assertEquals(List.of("y|m", "y_l|m", "y_l2|m", "y_l3|m"), seva.requests().stream().map(Request::name).toList());
        // −log( e^0.2 / (e^0.2 + e^−0.2 + e^0 + e^0.1) ) = log(e^0.2 + e^−0.2 + 1 + e^0.1) − 0.2
        double expected = Math.log(Math.exp(0.2) + Math.exp(-0.2) + 1 + Math.exp(0.1)) - 0.2;
        assertEquals(1.221976230839357, expected, 1e-12);
        assertEquals(expected, loss(seva, example(seva)), 1e-12);
        Map<String, Double> metrics = ObjectiveTesting.metrics(seva, example(seva));
        assertEquals(0.1, metrics.get("rewards/margins"), 1e-12); // 0.2 − the best negative 0.1
        assertEquals(1.0, metrics.get("rewards/accuracies"));
        assertEquals((-0.2 + 0 + 0.1) / 3, metrics.get("rewards/rejected"), 1e-12);
    }

    @Test
    void literalSumOfEquationEighteen() {
        Objective seva = objective("seva", "negatives=3", "multi_negative_form=eq18");
        // ls(0.2 − (−0.2 + 0 + 0.1)) = ls(0.3)
        assertEquals(Math.log1p(Math.exp(-0.3)), loss(seva, example(seva)), 1e-12);
    }

    @Test
    void policyEqualToReferenceCostsLogOfTheListLength() {
        Objective softmax = objective("seva", "negatives=3");
        assertEquals(Math.log(4), loss(softmax, LogProbValues.atReference(softmax, 3, 42)), 1e-12);
        Objective literal = objective("seva", "negatives=3", "multi_negative_form=eq18");
        assertEquals(Math.log(2), loss(literal, LogProbValues.atReference(literal, 3, 42)), 1e-12);
    }
}
