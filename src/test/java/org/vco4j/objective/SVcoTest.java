package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class SVcoTest {
    // (m, y; m'): ρ(y|m) = 3, ρ(y|none) = 1, ρ(y|m') = −2 → attend 0.1·2 = 0.2, reject 0.1·3 = 0.3
    // (m', y'; m): ρ(y'|m') = 2, ρ(y'|none) = 2, ρ(y'|m) = 0 → attend 0.1·0 = 0, reject β4·(2 − 0)
    private static LogProbValues example(Objective svco) {
        return LogProbValues.neutral(svco, 1).logRatio("y|m", 3).logRatio("y|none", 1).logRatio("y|m'", -2)
                .logRatio("y'|m'", 2).logRatio("y'|none", 2).logRatio("y'|m", 0);
    }

    @Test
    void sumsTheFourTermsEachAtItsOwnTemperature() {
        Objective svco = objective("s-vco", "beta4=0.5");
        // ls(0.2) + ls(0.3) + ls(0) + ls(0.5·2 = 1) = 0.59813887 + 0.55435524 + 0.69314718 + 0.31326169
        assertEquals(2.1589029819282874, loss(svco, example(svco)), 1e-12);
    }

    @Test
    void declaresTheSixRequestsOfThePaper() {
        assertEquals(Set.of("y|m", "y|m'", "y'|m'", "y'|m", "y|none", "y'|none"),
                Set.copyOf(objective("s-vco").requests().stream().map(Request::name).toList()));
    }

    @Test
    void policyEqualToReferenceCostsFourLogTwo() {
        Objective svco = objective("s-vco");
        assertEquals(4 * Math.log(2), loss(svco, LogProbValues.atReference(svco, 3, 3)), 1e-12);
    }

    @Test
    void isInvariantUnderSwappingTheRoles() {
        Objective svco = objective("s-vco");
        LogProbValues values = LogProbValues.random(svco, 5, 12);
        assertEquals(loss(svco, values), loss(svco, values.mirrored()), 1e-12);
    }

    @Test
    void isVcoPlusVcoOfTheFlippedSample() {
        Objective svco = objective("s-vco");
        Objective vco = objective("vco");
        LogProbValues values = LogProbValues.random(svco, 4, 13);
        double expected = loss(vco, values.restrictTo(vco)) + loss(vco, values.mirrored().restrictTo(vco));
        assertEquals(expected, loss(svco, values), 1e-12);
    }

    @Test
    void aZeroTemperatureRemovesItsTerm() {
        // the flipped attend term is ls(0) = log 2 in the example
        Objective withoutFlippedAttend = objective("s-vco", "beta3=0");
        assertEquals(Set.of("y|m", "y|m'", "y|none", "y'|m", "y'|none"),
                Set.copyOf(withoutFlippedAttend.requests().stream().map(Request::name).toList()));
        Objective full = objective("s-vco");
        assertEquals(loss(full, example(full)) - Math.log(2), loss(withoutFlippedAttend, example(full).restrictTo(withoutFlippedAttend)), 1e-12);
    }
}
