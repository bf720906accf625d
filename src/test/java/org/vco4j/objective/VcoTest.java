package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class VcoTest {
    private static final double LS_0_2 = 0.5981388693815918; // ls(0.2)
    private static final double LS_0_3 = 0.5543552444685271; // ls(0.3)

    // ρ(y|m) = 3, ρ(y|none) = 1, ρ(y|m') = −2: attend z = 0.1·(3 − 1) = 0.2, reject z = 0.1·(1 + 2) = 0.3
    private static LogProbValues example(Objective vco) {
        return LogProbValues.neutral(vco, 1).logRatio("y|m", 3).logRatio("y|none", 1).logRatio("y|m'", -2);
    }

    @Test
    void attendPlusReject() {
        Objective vco = objective("vco");
        // ls(0.2) + ls(0.3) = 1.152494113850119
        assertEquals(1.152494113850119, loss(vco, example(vco)), 1e-12);
        Map<String, Double> metrics = ObjectiveTesting.metrics(vco, example(vco));
        assertEquals(LS_0_2, metrics.get("loss/attend"), 1e-12);
        assertEquals(0.3, metrics.get("reject/margins"), 1e-12);
        assertEquals(1.0, metrics.get("attend/accuracies"));
    }

    @Test
    void policyEqualToReferenceCostsTwoLogTwo() {
        Objective vco = objective("vco");
        assertEquals(2 * Math.log(2), loss(vco, LogProbValues.atReference(vco, 3, 2)), 1e-12);
    }

    @Test
    void aTemperatureOfZeroRemovesItsTermAndRequest() {
        Objective rejectOnly = objective("vco", "beta1=0");
        assertEquals(List.of(Request.parse("y|m'"), Request.parse("y|none")), rejectOnly.requests());
        LogProbValues values = LogProbValues.neutral(rejectOnly, 1).logRatio("y|none", 1).logRatio("y|m'", -2);
        assertEquals(loss(objective("vco"), example(objective("vco"))) - LS_0_2, loss(rejectOnly, values), 1e-12);
        assertEquals(LS_0_3, loss(rejectOnly, values), 1e-12);
    }
}
