package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class MdpoTest {
    private static final double LS_0_2 = 0.5981388693815918; // ls(0.2) = log(1 + e^−0.2)
    private static final double LS_0_3 = 0.5543552444685271; // ls(0.3)
    private static final double LS_0_4 = 0.5130152523999526; // ls(0.4)

    // ρ(y|m) = 2, ρ(y_l|m) = −2, ρ(y|m_crop) = −1; with β = 0.1 the rewards are 0.2, −0.2, −0.1
    private static LogProbValues example(Objective mdpo) {
        return LogProbValues.neutral(mdpo, 1).logRatio("y|m", 2).logRatio("y_l|m", -2).logRatio("y|m_crop", -1);
    }

    @Test
    void sumsDpoConditionalAndAnchor() {
        Objective mdpo = objective("mdpo");
        // dpo ls(0.2 + 0.2) + conditional ls(0.2 + 0.1) + anchor ls(0.2 − 0) = 1.6655093662500713
        assertEquals(LS_0_4 + LS_0_3 + LS_0_2, loss(mdpo, example(mdpo)), 1e-12);
        assertEquals(1.6655093662500713, loss(mdpo, example(mdpo)), 1e-12);
    }

    @Test
    void policyEqualToReferenceCostsThreeLogTwo() {
        Objective mdpo = objective("mdpo");
        assertEquals(3 * Math.log(2), loss(mdpo, LogProbValues.atReference(mdpo, 3, 5)), 1e-12);
    }

    @Test
    void aZeroWeightRemovesItsTermAndItsRequest() {
        Objective full = objective("mdpo");
        Objective withoutConditional = objective("mdpo", "conditional_weight=0");
        assertFalse(withoutConditional.requests().contains(Request.parse("y|m_crop")));
        LogProbValues values = LogProbValues.neutral(withoutConditional, 1).logRatio("y|m", 2).logRatio("y_l|m", -2);
        assertEquals(loss(full, example(full)) - LS_0_3, loss(withoutConditional, values), 1e-12);

        Objective withoutAnchor = objective("mdpo", "anchor_weight=0");
        assertEquals(loss(full, example(full)) - LS_0_2, loss(withoutAnchor, example(withoutAnchor)), 1e-12);
    }

    @Test
    void weightsScaleTheirTermsAndDeltaShiftsTheAnchor() {
        Objective doubled = objective("mdpo", "conditional_weight=2");
        assertEquals(LS_0_4 + 2 * LS_0_3 + LS_0_2, loss(doubled, example(doubled)), 1e-12);
        // δ = 0.2 puts the anchor's argument at 0.2 − 0.2 = 0: ls(0) = log 2
        Objective shifted = objective("mdpo", "anchor_delta=0.2");
        assertEquals(LS_0_4 + LS_0_3 + Math.log(2), loss(shifted, example(shifted)), 1e-12);
    }
}
