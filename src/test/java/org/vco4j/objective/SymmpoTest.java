package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class SymmpoTest {
    /**
     * β = 0.1: ρ(y|m) = 2, ρ(y_l|m) = −1, ρ(y'|m) = −1, ρ(y'|m') = 1, ρ(y|m') = −3.
     * dpo z = 0.1·3 = 0.3; h1 = 2 + 1 = 3, h2 = 1 + 3 = 4; anchors 0.2 and 0.1; (h1 − h2)² = 1.
     */
    private static LogProbValues example(Objective symmpo) {
        return LogProbValues.neutral(symmpo, 1).logRatio("y|m", 2).logRatio("y_l|m", -1).logRatio("y'|m", -1)
                .logRatio("y'|m'", 1).logRatio("y|m'", -3);
    }

    private static double ls(double z) {
        return Math.log1p(Math.exp(-z));
    }

    @Test
    void sumsItsFiveTerms() {
        Objective symmpo = objective("symmpo");
        double expected = ls(0.3) + 0.5 * (ls(0.3) + ls(0.4)) + ls(0.2) + ls(0.1) + 1e-4 * 1;
        assertEquals(2.3306760223579297, expected, 1e-12);
        assertEquals(expected, loss(symmpo, example(symmpo)), 1e-12);
        Map<String, Double> metrics = ObjectiveTesting.metrics(symmpo, example(symmpo));
        assertEquals(1.0, metrics.get("loss/margin_consistency"), 1e-12);
        assertEquals(0.3, metrics.get("symmetric/margins"), 1e-12);
    }

    @Test
    void policyEqualToReferenceCostsFourLogTwo() {
        // dpo + λ·2 + 2 anchors, each ls(0) = log 2, and no margin difference
        Objective symmpo = objective("symmpo");
        assertEquals(4 * Math.log(2), loss(symmpo, LogProbValues.atReference(symmpo, 3, 51)), 1e-12);
    }

    @Test
    void withoutTheDpoTermItIsSymmetric() {
        Objective symmetric = objective("symmpo", "dpo_weight=0");
        assertEquals(Set.of("y|m", "y'|m", "y'|m'", "y|m'"), Set.copyOf(symmetric.requests().stream().map(Request::name).toList()));
        LogProbValues values = LogProbValues.random(symmetric, 5, 52);
        assertEquals(loss(symmetric, values), loss(symmetric, values.mirrored()), 1e-12);
    }

    @Test
    void aZeroWeightRemovesItsTerms() {
        Objective full = objective("symmpo");
        double total = loss(full, example(full));
        Objective withoutDpo = objective("symmpo", "dpo_weight=0");
        assertEquals(total - ls(0.3), loss(withoutDpo, example(full).restrictTo(withoutDpo)), 1e-12);
        assertEquals(total - 0.5 * (ls(0.3) + ls(0.4)), loss(objective("symmpo", "lambda=0"), example(full)), 1e-12);
        assertEquals(total - 1e-4, loss(objective("symmpo", "margin_regularization=0"), example(full)), 1e-12);
        Objective anchorsOnly = objective("symmpo", "dpo_weight=0", "lambda=0", "margin_regularization=0");
        assertEquals(Set.of("y|m", "y'|m'"), Set.copyOf(anchorsOnly.requests().stream().map(Request::name).toList()));
        assertEquals(ls(0.2) + ls(0.1), loss(anchorsOnly, example(full).restrictTo(anchorsOnly)), 1e-12);
    }
}
