package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.metrics;
import static org.vco4j.objective.ObjectiveTesting.objective;

class IcVcoTest {
    private static final double LOG_2 = Math.log(2);

    /**
     * One unswapped sample, β = 0.1.
     * direction (m: y ≻ y'): z_M = 0.1·(4 − (−6)) = 1.0, z_S = 0.1·(1 − (−2)) = 0.3,
     *   anchors 0.1·4 = 0.4 and 0.1·1 = 0.1; VCDist active: t = σ(1) = 0.731 > 0.5 and σ(0.3) < t.
     * mirror (m': y' ≻ y): z_M' = 0.1·(0 − 2) = −0.2, z_S' = 0.1·(5 − 0) = 0.5,
     *   anchors 0 and 0.5; VCDist blocked by correctness: σ(−0.2) < 0.5.
     */
    private static LogProbValues example(Objective icvco) {
        return LogProbValues.neutral(icvco, 1)
                .logRatio("y|M,x^", 4).logRatio("y'|M,x^", -6)
                .logRatio("y'|M,x^'", 0).logRatio("y|M,x^'", 2)
                .logRatio("y|m[mask]", 1).logRatio("y'|m[mask]", -2)
                .logRatio("y'|m'[mask]", 5).logRatio("y|m'[mask]", 0);
    }

    private static double ls(double z) {
        return Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void valueOfBothDirectionsWithTheirGates() {
        Objective icvco = objective("ic-vco");
        double multi = (ls(1.0) + ls(-0.2)) / 2;
        double multiAnchor = (ls(0.4) + ls(0)) / 2;
        double single = (ls(0.3) + ls(0.5)) / 2;
        double singleAnchor = (ls(0.1) + ls(0.5)) / 2;
        double teacher = sigmoid(1.0);
        double crossEntropy = teacher * ls(0.3) + (1 - teacher) * ls(-0.3);
        // each direction's VCDist averages its own active pairs: (CE + 0) / 2 after eq. 14's half and eq. 15's sum
        double vcdist = crossEntropy / 2;
        double expected = 0.75 * (multi + multiAnchor) + 1.75 * (single + singleAnchor) + 0.3 * vcdist;
        assertEquals(2.842884410618843, expected, 1e-12);
        assertEquals(expected, loss(icvco, example(icvco)), 1e-12);

        Map<String, Double> metrics = metrics(icvco, example(icvco));
        assertEquals(vcdist, metrics.get("loss/vcdist"), 1e-12);
        assertEquals(0.5, metrics.get("multi/accuracies"));
        assertEquals(1.0, metrics.get("single/accuracies"));
        assertEquals(0.5, metrics.get("vcdist/active"));
        assertEquals(0.5, metrics.get("vcdist/blocked_correctness"));
        assertEquals(0.0, metrics.get("vcdist/blocked_confidence"));
        // KL(Bernoulli(σ(1)) ‖ Bernoulli(σ(0.3))) on the one active pair
        double student = sigmoid(0.3);
        double kl = teacher * Math.log(teacher / student) + (1 - teacher) * Math.log((1 - teacher) / (1 - student));
        assertEquals(kl, metrics.get("vcdist/valid_kl"), 1e-12);
        // unswapped: the direction's anchor names the first image, the mirror's the second
        assertEquals(1.0, metrics.get("vcdist/active_first"));
        assertEquals(0.0, metrics.get("vcdist/active_second"));
        assertEquals(1.0, metrics.get("vcdist/blocked_correctness_second"));
        assertEquals(1.0, metrics.get("multi/accuracies_first"));
        assertEquals(0.0, metrics.get("multi/accuracies_second"));
        assertFalse(metrics.containsKey("vcdist/valid_kl_second"), "no active pair, no KL");
    }

    @Test
    void swappingTheImageOrderMovesAPairToTheOtherAnchorPosition() {
        Objective icvco = objective("ic-vco");
        Map<String, Double> metrics = metrics(icvco, example(icvco).swapped(0, true));
        assertEquals(0.0, metrics.get("vcdist/active_first"));
        assertEquals(1.0, metrics.get("vcdist/active_second"));
        assertEquals(loss(icvco, example(icvco)), loss(icvco, example(icvco).swapped(0, true)), 1e-12);
    }

    @Test
    void policyEqualToReferenceCostsFiveLogTwoAndDistilsNothing() {
        Objective icvco = objective("ic-vco");
        // every ls(0) = log 2: λ1·(1 + η1) + λ2·(1 + η2) = 0.75·2 + 1.75·2 = 5; the teacher sits at τ = 0.5
        LogProbValues values = LogProbValues.atReference(icvco, 4, 21);
        assertEquals(5 * LOG_2, loss(icvco, values), 1e-12);
        assertEquals(0.0, metrics(icvco, values).get("vcdist/active"));
    }

    @Test
    void isInvariantUnderSwappingTheRoles() {
        Objective icvco = objective("ic-vco");
        LogProbValues values = LogProbValues.random(icvco, 6, 22);
        Map<String, Double> metrics = metrics(icvco, values);
        Map<String, Double> mirrored = metrics(icvco, values.mirrored());
        assertEquals(loss(icvco, values), loss(icvco, values.mirrored()), 1e-12);
        for (String name : List.of("vcdist/active", "vcdist/active_first", "vcdist/active_second", "multi/accuracies_first",
                "single/accuracies_second", "vcdist/blocked_confidence_first")) {
            assertEquals(metrics.get(name), mirrored.get(name), 1e-12, name);
        }
    }

    @Test
    void aTeacherExactlyAtTheThresholdIsNotTrusted() {
        Objective icvco = objective("ic-vco");
        // z_M = 0 in both directions: t = σ(0) = 0.5 = τ, and the gate wants t > τ
        LogProbValues values = example(icvco).logRatio("y|M,x^", 0).logRatio("y'|M,x^", 0)
                .logRatio("y'|M,x^'", 0).logRatio("y|M,x^'", 0).logRatio("y|m[mask]", -3);
        Map<String, Double> metrics = metrics(icvco, values);
        assertEquals(1.0, metrics.get("vcdist/blocked_correctness"));
        assertEquals(0.0, metrics.get("loss/vcdist"), 0);
    }

    @Test
    void aStudentAlreadyAtOrAboveItsTeacherIsNotDistilled() {
        Objective icvco = objective("ic-vco");
        // direction: z_S = 1.5 > z_M = 1.0; mirror: z_S' = z_M' = 0.4 (p_single < t must be strict)
        LogProbValues values = example(icvco).logRatio("y|m[mask]", 13).logRatio("y'|m[mask]", -2)
                .logRatio("y'|M,x^'", 4).logRatio("y|M,x^'", 0).logRatio("y'|m'[mask]", 4).logRatio("y|m'[mask]", 0);
        Map<String, Double> metrics = metrics(icvco, values);
        assertEquals(1.0, metrics.get("vcdist/blocked_confidence"));
        assertEquals(0.0, metrics.get("vcdist/active"));
        assertEquals(0.0, metrics.get("loss/vcdist"), 0);
    }

    @Test
    void withNoActivePairDistillationIsZeroWithFiniteGradients() {
        Objective distillationOnly = objective("ic-vco", "lambda1=0", "lambda2=0");
        LogProbValues values = LogProbValues.atReference(distillationOnly, 3, 23);
        assertEquals(0.0, loss(distillationOnly, values), 0);
        for (double[] gradients : ObjectiveTesting.gradients(distillationOnly, values).values()) {
            for (double gradient : gradients) assertEquals(0.0, gradient, 0);
        }
    }

    @Test
    void withoutTheGateEveryPairIsDistilled() {
        Objective ungated = objective("ic-vco", "gate=false");
        double teacher = sigmoid(1.0);
        double mirrorTeacher = sigmoid(-0.2);
        double direction = teacher * ls(0.3) + (1 - teacher) * ls(-0.3);
        double mirror = mirrorTeacher * ls(0.5) + (1 - mirrorTeacher) * ls(-0.5);
        Map<String, Double> metrics = metrics(ungated, example(ungated));
        assertEquals((direction + mirror) / 2, metrics.get("loss/vcdist"), 1e-12);
        assertEquals(1.0, metrics.get("vcdist/active"));
    }

    @Test
    void theThresholdIsSettable() {
        Objective strict = objective("ic-vco", "tau=0.8");
        // σ(1) = 0.731 no longer passes
        assertEquals(0.0, metrics(strict, example(strict)).get("loss/vcdist"), 0);
    }

    @Test
    void stopGradientKeepsDistillationOutOfTheTeacher() {
        Objective stopped = objective("ic-vco", "lambda1=0", "lambda2=0");
        Objective flowing = objective("ic-vco", "lambda1=0", "lambda2=0", "stop_gradient=false");
        LogProbValues values = example(stopped);
        Request teacherRequest = Request.parse("y|M,x^");
        Request studentRequest = Request.parse("y|m[mask]");
        assertEquals(0.0, ObjectiveTesting.gradients(stopped, values).get(teacherRequest)[0], 0);
        assertNotEquals(0.0, ObjectiveTesting.gradients(flowing, values).get(teacherRequest)[0]);
        assertEquals(ObjectiveTesting.gradients(flowing, values).get(studentRequest)[0],
                ObjectiveTesting.gradients(stopped, values).get(studentRequest)[0], 1e-12);
        ObjectiveTesting.assertGradientsMatchFiniteDifferences(flowing, values);
    }

    @Test
    void withStopGradientTheMultiImageGradientIsThatOfTheLossWithoutDistillation() {
        Objective icvco = objective("ic-vco");
        Objective withoutDistillation = objective("ic-vco", "vcdist=false");
        LogProbValues values = LogProbValues.random(icvco, 4, 24);
        Map<Request, double[]> gradients = ObjectiveTesting.gradients(icvco, values);
        Map<Request, double[]> expected = ObjectiveTesting.gradients(withoutDistillation, values);
        for (Request request : icvco.requests()) {
            if (request.condition().showsBothImages()) {
                assertArrayEquals(expected.get(request), gradients.get(request), 1e-12, request.name());
            }
        }
        assertTrue(metrics(icvco, values).get("vcdist/active") > 0, "the example must distil something");
    }

    @Test
    void switchingATermOffByWeightOrFlagEqualsRemovingIt() {
        Objective full = objective("ic-vco");
        Map<String, Double> terms = metrics(full, example(full));
        double total = loss(full, example(full));
        assertEquals(total - 0.3 * terms.get("loss/vcdist"), loss(objective("ic-vco", "gamma=0"), example(full)), 1e-12);
        assertEquals(total - 0.3 * terms.get("loss/vcdist"), loss(objective("ic-vco", "vcdist=false"), example(full)), 1e-12);
        double anchors = 0.75 * terms.get("loss/multi_anchor") + 1.75 * terms.get("loss/single_anchor");
        assertEquals(total - anchors, loss(objective("ic-vco", "anchors=false"), example(full)), 1e-12);
        assertEquals(total - anchors, loss(objective("ic-vco", "eta1=0", "eta2=0"), example(full)), 1e-12);

        Objective multiOnly = objective("ic-vco", "single_branch=false");
        assertEquals(List.of("y|M,x^", "y'|M,x^", "y'|M,x^'", "y|M,x^'"), multiOnly.requests().stream().map(Request::name).toList());
        double multiBranch = 0.75 * (terms.get("loss/multi") + terms.get("loss/multi_anchor"));
        assertEquals(multiBranch, loss(multiOnly, example(full).restrictTo(multiOnly)), 1e-12);
        Objective zeroWeights = objective("ic-vco", "lambda2=0", "gamma=0");
        assertEquals(multiOnly.requests(), zeroWeights.requests());
        assertEquals(multiBranch, loss(zeroWeights, example(full).restrictTo(zeroWeights)), 1e-12);
    }

    @Test
    void withoutTheTokenMaskTheSingleBranchScoresFullResponses() {
        Objective unmasked = objective("ic-vco", "token_mask=false");
        assertTrue(unmasked.requests().contains(Request.parse("y|m")));
        assertTrue(unmasked.requests().stream().noneMatch(Request::masked));
        assertEquals(4, objective("ic-vco").requests().stream().filter(Request::masked).count());
        LogProbValues values = LogProbValues.neutral(unmasked, 1)
                .logRatio("y|M,x^", 4).logRatio("y'|M,x^", -6).logRatio("y'|M,x^'", 0).logRatio("y|M,x^'", 2)
                .logRatio("y|m", 1).logRatio("y'|m", -2).logRatio("y'|m'", 5).logRatio("y|m'", 0);
        assertEquals(2.842884410618843, loss(unmasked, values), 1e-12);
    }

    @Test
    void drawsTheImageOrderPerSampleFromTheGivenGenerator() {
        Objective icvco = objective("ic-vco");
        boolean[] first = icvco.drawSwaps(2000, new Random(5));
        assertArrayEquals(first, icvco.drawSwaps(2000, new Random(5)));
        int swapped = 0;
        for (boolean flag : first) if (flag) swapped++;
        assertTrue(swapped > 900 && swapped < 1100, "about half are swapped: " + swapped);
        assertArrayEquals(new boolean[3], objective("ic-vco", "swap_probability=0").drawSwaps(3, new SplittableRandom(1)));
        assertArrayEquals(new boolean[] {true, true, true},
                objective("ic-vco", "swap_probability=1").drawSwaps(3, new SplittableRandom(1)));
        assertArrayEquals(new boolean[4], objective("s-vco").drawSwaps(4, new Random(1)), "no multi-image context, no swap");
    }
}
