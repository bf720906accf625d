package org.vco4j.objective;

import org.junit.jupiter.api.Test;
import org.vco4j.request.Request;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vco4j.objective.ObjectiveTesting.loss;
import static org.vco4j.objective.ObjectiveTesting.objective;

class JompoTest {
    /**
     * β = 0.05. DPO: ρ(y|m) = 4, ρ(y'|m) = −2 → z = 0.3; ρ(y'|m') = 2, ρ(y|m') = −4 → z = 0.3.
     * V-RPO(y; [m, none, m']) scores 0.05·[4, 0, −4] = [0.2, 0, −0.2];
     * V-RPO(y'; [m', none, m]) scores 0.05·[2, 2, −2] = [0.1, 0.1, −0.1].
     */
    private static LogProbValues example(Objective jompo) {
        return LogProbValues.neutral(jompo, 1).logRatio("y|m", 4).logRatio("y'|m", -2).logRatio("y'|m'", 2)
                .logRatio("y|m'", -4).logRatio("y|none", 0).logRatio("y'|none", 2);
    }

    private static double ls(double z) {
        return Math.log1p(Math.exp(-z));
    }

    private static double logSumExp(double... values) {
        double sum = 0;
        for (double value : values) sum += Math.exp(value);
        return Math.log(sum);
    }

    @Test
    void sumsSymmetricDpoAndPlackettLuceRankings() {
        Objective jompo = objective("jompo");
        double ranking = logSumExp(0.2, 0, -0.2) - 0.2 + logSumExp(0, -0.2) - 0;
        double flippedRanking = logSumExp(0.1, 0.1, -0.1) - 0.1 + logSumExp(0.1, -0.1) - 0.1;
        assertEquals(1.5100403020057924, ranking, 1e-12);
        assertEquals(2 * ls(0.3) + ranking + flippedRanking, loss(jompo, example(jompo)), 1e-12);
        assertEquals(4.253176356393652, loss(jompo, example(jompo)), 1e-12);
        assertEquals(0.5, ObjectiveTesting.metrics(jompo, example(jompo)).get("vrpo/accuracies"), "y' ties m' and none");
    }

    @Test
    void threeEqualScoresCostLogSix() {
        Objective rankingOnly = objective("jompo", "dpo_weight=0", "symmetry=false");
        assertEquals(Math.log(6), loss(rankingOnly, LogProbValues.atReference(rankingOnly, 3, 31)), 1e-12);
        Objective jompo = objective("jompo");
        assertEquals(2 * Math.log(2) + 2 * Math.log(6), loss(jompo, LogProbValues.atReference(jompo, 3, 31)), 1e-12);
    }

    @Test
    void withoutRankingConsecutiveConditionsArePairwisePreferences() {
        Objective pairwise = objective("jompo", "ranking=false");
        // y: ls(0.2 − 0) + ls(0 + 0.2); y': ls(0.1 − 0.1) + ls(0.1 + 0.1)
        assertEquals(2 * ls(0.3) + 3 * ls(0.2) + Math.log(2), loss(pairwise, example(pairwise)), 1e-12);
    }

    @Test
    void withTwoConditionsRankingAndPairwiseCoincide() {
        Objective listwise = objective("jompo", "no_image=false");
        Objective pairwise = objective("jompo", "no_image=false", "ranking=false");
        assertEquals(Set.of("y|m", "y'|m", "y'|m'", "y|m'"), Set.copyOf(listwise.requests().stream().map(Request::name).toList()));
        LogProbValues values = LogProbValues.random(listwise, 4, 32);
        assertEquals(loss(listwise, values), loss(pairwise, values), 1e-12);
        // [m, m']: ls(0.2 + 0.2) and ls(0.1 + 0.1)
        assertEquals(2 * ls(0.3) + ls(0.4) + ls(0.2), loss(listwise, example(objective("jompo")).restrictTo(listwise)), 1e-12);
    }

    @Test
    void withoutSymmetryOnlyTheDirectionOfYRemains() {
        Objective oneSided = objective("jompo", "symmetry=false");
        assertEquals(Set.of("y|m", "y'|m", "y|none", "y|m'"), Set.copyOf(oneSided.requests().stream().map(Request::name).toList()));
        double ranking = logSumExp(0.2, 0, -0.2) - 0.2 + logSumExp(0, -0.2);
        assertEquals(ls(0.3) + ranking, loss(oneSided, example(objective("jompo")).restrictTo(oneSided)), 1e-12);
    }

    @Test
    void aZeroWeightRemovesItsTerms() {
        Objective full = objective("jompo");
        var terms = ObjectiveTesting.metrics(full, example(full));
        double total = loss(full, example(full));
        assertEquals(total - terms.get("loss/dpo") - terms.get("loss/dpo_flipped"),
                loss(objective("jompo", "dpo_weight=0"), example(full)), 1e-12);
        Objective textOnly = objective("jompo", "vrpo_weight=0");
        assertEquals(total - terms.get("loss/vrpo") - terms.get("loss/vrpo_flipped"),
                loss(textOnly, example(full).restrictTo(textOnly)), 1e-12);
    }

    @Test
    void isInvariantUnderSwappingTheRoles() {
        Objective jompo = objective("jompo");
        LogProbValues values = LogProbValues.random(jompo, 5, 33);
        assertEquals(loss(jompo, values), loss(jompo, values.mirrored()), 1e-12);
    }
}
