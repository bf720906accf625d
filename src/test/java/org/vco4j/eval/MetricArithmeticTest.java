package org.vco4j.eval;

import org.junit.jupiter.api.Test;
import org.vco4j.eval.bench.BinaryCounts;
import org.vco4j.eval.bench.MetricTable;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmarks' arithmetic on hand-made inputs, no model involved. */
class MetricArithmeticTest {
    @Test
    void perplexityIsExpOfMinusMeanTokenLogp() {
        assertEquals(Math.exp(2), Perplexity.of(-6, 3), 1e-12);
        assertEquals(1, Perplexity.of(0, 5));
        assertThrows(IllegalArgumentException.class, () -> Perplexity.of(-1, 0));
    }

    @Test
    void neglectSummariesAndRankings() {
        List<NeglectDiagnostic.Caption> captions = List.of(
                new NeglectDiagnostic.Caption("a/y", "object", "c", 2, 4, 3),
                new NeglectDiagnostic.Caption("a/y'", "object", "c", 5, 4, 6),
                new NeglectDiagnostic.Caption("b/y", "count", "c", 1, 7, 0.5));
        Map<String, Double> metrics = NeglectDiagnostic.metrics(captions);
        assertEquals(8.0 / 3, metrics.get("neglect/perplexity/match/mean"), 1e-12);
        assertEquals(2, metrics.get("neglect/perplexity/match/median"));
        assertEquals(5, metrics.get("neglect/perplexity/mismatch/mean"), 1e-12);
        assertEquals(4, metrics.get("neglect/perplexity/mismatch/median"));
        assertEquals(3, metrics.get("neglect/perplexity/none/median"));
        assertEquals(2.0 / 3, metrics.get("neglect/match_below_mismatch"), 1e-12);
        assertEquals(2.0 / 3, metrics.get("neglect/match_below_none"), 1e-12);
        assertEquals(0.5, metrics.get("neglect/object/match_below_mismatch"), 1e-12);
        assertEquals(1.0, metrics.get("neglect/count/match_below_mismatch"), 1e-12);
        assertEquals(2.5, NeglectDiagnostic.median(new double[] {1, 2, 3, 4}));
    }

    @Test
    void relativeDropOfAScoreWithoutImages() {
        assertEquals(0.25, VisualDependency.relativeDrop(0.8, 0.6), 1e-12);
        assertEquals(-0.5, VisualDependency.relativeDrop(0.4, 0.6), 1e-12);
        assertTrue(Double.isNaN(VisualDependency.relativeDrop(0, 0.5)));
    }

    @Test
    void tableGroupsMetricsByPrefix() {
        String table = MetricTable.render(new BinaryCounts(3, 1, 4, 2).metrics("pope/random"));
        assertTrue(table.lines().findFirst().orElseThrow().contains("accuracy"), table);
        assertTrue(table.contains("pope/random") && table.contains("0.7000") && table.contains("0.7500"), table);
        assertTrue(MetricTable.render(Map.of("x/precision", Double.NaN)).contains("n/a"));
    }

    @Test
    void markdownHasOneTablePerBlockOfRowsWithTheSameColumns() {
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        metrics.put("mmhal/average_score", 2.5);
        metrics.put("mmhal/hallucination_rate", Double.NaN);
        metrics.put("mmhal/unparsed", 3.0);
        metrics.put("mmhal/counting/average_score", 1.0);
        metrics.put("mmhal/counting/hallucination_rate", 0.5);
        assertEquals("""
                | | average_score | hallucination_rate | unparsed |
                |---|---:|---:|---:|
                | mmhal | 2.5000 | n/a | 3 |

                | | average_score | hallucination_rate |
                |---|---:|---:|
                | mmhal/counting | 1.0000 | 0.5000 |
                """, MetricTable.markdown(metrics));
    }
}
