package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class VisdpoTest {
    // eq. 5: ρ(y|m) = 2, ρ(y|m') = −1 → z = 0.1·3 = 0.3; eq. 6: ρ(y'|m') = ρ(y'|m) = 1 → z = 0
    private static LogProbValues example(Objective visdpo) {
        return LogProbValues.neutral(visdpo, 1).logRatio("y|m", 2).logRatio("y|m'", -1)
                .logRatio("y'|m'", 1).logRatio("y'|m", 1);
    }

    @Test
    void sumsBothVisualPreferences() {
        Objective visdpo = objective("visdpo");
        // ls(0.3) + ls(0) = 0.5543552444685271 + log 2
        assertEquals(1.2475024250284723, loss(visdpo, example(visdpo)), 1e-12);
    }

    @Test
    void policyEqualToReferenceCostsLogTwoPerDirection() {
        Objective visdpo = objective("visdpo");
        assertEquals(2 * Math.log(2), loss(visdpo, LogProbValues.atReference(visdpo, 3, 1)), 1e-12);
        Objective oneSided = objective("visdpo", "symmetric=false");
        assertEquals(Math.log(2), loss(oneSided, LogProbValues.atReference(oneSided, 3, 1)), 1e-12);
    }

    @Test
    void withoutSymmetryTheMirroredTermAndItsRequestsGo() {
        Objective oneSided = objective("visdpo", "symmetric=false");
        assertEquals(List.of(Request.parse("y|m"), Request.parse("y|m'")), oneSided.requests());
        LogProbValues values = LogProbValues.neutral(oneSided, 1).logRatio("y|m", 2).logRatio("y|m'", -1);
        Objective full = objective("visdpo");
        assertEquals(loss(full, example(full)) - Math.log(2), loss(oneSided, values), 1e-12);
    }

    @Test
    void isInvariantUnderSwappingTheRoles() {
        Objective visdpo = objective("visdpo");
        LogProbValues values = LogProbValues.random(visdpo, 4, 11);
        assertEquals(loss(visdpo, values), loss(visdpo, values.mirrored()), 1e-12);
    }
}
