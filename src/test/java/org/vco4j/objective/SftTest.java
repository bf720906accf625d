package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class SftTest {
    @Test
    void averagesTheTokenMeanNegativeLogLikelihoodOverSamples() {
        Objective sft = objective("sft");
        // sample 0: lp(y|m) = −6 over 3 tokens → 2 nats per token; sample 1: −2 over 4 tokens → 0.5
        // loss = (2 + 0.5) / 2 = 1.25
        LogProbValues values = LogProbValues.neutral(sft, 2)
                .set("y|m", 0, -6, -1).tokens("y|m", 0, 3)
                .set("y|m", 1, -2, -9).tokens("y|m", 1, 4);
        assertEquals(1.25, loss(sft, values), 1e-12);
        assertEquals(1.25, ObjectiveTesting.metrics(sft, values).get("nll/y|m"), 1e-12);
    }

    @Test
    void bothPairsTrainOnTheContrastingPairToo() {
        Objective sft = objective("sft", "both_pairs=true");
        assertEquals(List.of(Request.parse("y|m"), Request.parse("y'|m'")), sft.requests());
        // pairs: 6/3 = 2, 2/4 = 0.5, 9/3 = 3, 1/1 = 1 → mean 1.625
        LogProbValues values = LogProbValues.neutral(sft, 2)
                .set("y|m", 0, -6, 0).tokens("y|m", 0, 3)
                .set("y|m", 1, -2, 0).tokens("y|m", 1, 4)
                .set("y'|m'", 0, -9, 0).tokens("y'|m'", 0, 3)
                .set("y'|m'", 1, -1, 0).tokens("y'|m'", 1, 1);
        assertEquals(1.625, loss(sft, values), 1e-12);
    }

    @Test
    void aUniformModelOverVocabularyVCostsLogV() {
        Objective sft = objective("sft");
        double vocabulary = 32000;
        // every one of 7 tokens has probability 1/V: lp = −7·log V, per token log V, whatever the reference says
        LogProbValues values = LogProbValues.neutral(sft, 1).set("y|m", -7 * Math.log(vocabulary), 123).tokens("y|m", 0, 7);
        assertEquals(Math.log(vocabulary), loss(sft, values), 1e-9);
    }

    @Test
    void bothPairsAreInvariantUnderSwappingTheRolesAndNeedNoReference() {
        Objective sft = objective("sft", "both_pairs=true");
        LogProbValues values = LogProbValues.random(sft, 4, 61);
        assertEquals(loss(sft, values), loss(sft, values.mirrored()), 1e-12);
        assertFalse(sft.usesReference());
        assertTrue(objective("dpo").usesReference());
    }

    @Test
    void twoImageContextReadsBothAnchoredRequestsAndSwapsImageOrder() {
        Objective sft = Objectives.create("sft").set("two_image_context", "true");
        assertEquals(List.of(Request.parse("y|M,x^"), Request.parse("y'|M,x^'")), sft.requests());
        boolean[] swaps = sft.drawSwaps(400, new java.util.SplittableRandom(1));
        int swapped = 0;
        for (boolean s : swaps) if (s) swapped++;
        assertTrue(swapped > 150 && swapped < 250, "about half of the samples are shown as [m', m]: " + swapped);
        assertFalse(Objectives.create("sft").drawSwaps(4, new java.util.SplittableRandom(1))[0]);
    }
}
