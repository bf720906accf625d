package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BinaryCountsTest {
    @Test
    void popeMetricsFromHandCountedAnswers() {
        // truth/prediction: 3 TP, 1 FP, 4 TN, 2 FN
        BinaryCounts counts = BinaryCounts.EMPTY;
        for (int i = 0; i < 3; i++) counts = counts.add(true, true);
        counts = counts.add(false, true);
        for (int i = 0; i < 4; i++) counts = counts.add(false, false);
        for (int i = 0; i < 2; i++) counts = counts.add(true, false);
        assertEquals(new BinaryCounts(3, 1, 4, 2), counts);
        assertEquals(0.7, counts.accuracy(), 1e-12);
        assertEquals(0.75, counts.precision(), 1e-12);
        assertEquals(0.6, counts.recall(), 1e-12);
        assertEquals(2 * 0.75 * 0.6 / (0.75 + 0.6), counts.f1(), 1e-12);
        assertEquals(0.4, counts.yesRatio(), 1e-12);

        Map<String, Double> metrics = counts.metrics("pope/random");
        assertEquals(0.6, metrics.get("pope/random/recall"), 1e-12);
        assertEquals(5, metrics.size());
    }

    @Test
    void precisionIsUndefinedWhenTheModelNeverSaysYes() {
        BinaryCounts counts = BinaryCounts.EMPTY.add(true, false).add(false, false);
        assertTrue(Double.isNaN(counts.precision()));
        assertEquals(0, counts.recall());
        assertEquals(0, counts.f1());
        assertEquals(0, counts.yesRatio());
        assertEquals(0.5, counts.accuracy());
    }
}
