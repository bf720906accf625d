package org.vco4j.objective;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class DpoTest {
    // ρ(y|m) = −10 − (−12) = 2, ρ(y_l|m) = −15 − (−13) = −2, so z = 0.1·(2 − (−2)) = 0.4
    private static LogProbValues example(Objective dpo) {
        return LogProbValues.neutral(dpo, 1).set("y|m", -10, -12).set("y_l|m", -15, -13);
    }

    @Test
    void valueAndRewardsOfOnePair() {
        Objective dpo = objective("dpo");
        // ls(0.4) = log(1 + e^−0.4) = 0.5130152523999526
        assertEquals(0.5130152523999526, loss(dpo, example(dpo)), 1e-12);
        Map<String, Double> metrics = ObjectiveTesting.metrics(dpo, example(dpo));
        assertEquals(0.2, metrics.get("rewards/chosen"), 1e-12);
        assertEquals(-0.2, metrics.get("rewards/rejected"), 1e-12);
        assertEquals(0.4, metrics.get("rewards/margins"), 1e-12);
        assertEquals(1.0, metrics.get("rewards/accuracies"));
        assertEquals(-10, metrics.get("logps/chosen"), 1e-12);
        assertEquals(-15, metrics.get("logps/rejected"), 1e-12);
    }

    @Test
    void labelSmoothingMixesInTheFlippedLabel() {
        Objective dpo = objective("dpo", "label_smoothing=0.2");
        // 0.8·ls(0.4) + 0.2·ls(−0.4) = 0.8·0.5130152524 + 0.2·0.9130152524 (ls(−z) = z + ls(z))
        assertEquals(0.5930152523999526, loss(dpo, example(dpo)), 1e-12);
    }

    @Test
    void policyEqualToReferenceCostsLogTwoWithOrWithoutSmoothing() {
        for (String smoothing : new String[] {"0", "0.3"}) {
            Objective dpo = objective("dpo", "label_smoothing=" + smoothing);
            assertEquals(Math.log(2), loss(dpo, LogProbValues.atReference(dpo, 4, 7)), 1e-12);
        }
    }

    @Test
    void labelSmoothingAboveOneHalfIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> objective("dpo", "label_smoothing=0.7"));
        assertTrue(error.getMessage().contains("[0, 0.5]"), error.getMessage());
    }
}
