package org.vco4j.eval;

import org.junit.jupiter.api.Test;
import org.vco4j.data.world.Scene;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The benchmarks' arithmetic on hand-made inputs, no model involved. */
class MetricArithmeticTest {
    @Test
    void pairAccuracyCountsAPairOnlyWhenBothImagesAreRight() {
        List<Mmvp.Outcome> outcomes = List.of(
                new Mmvp.Outcome("a", "color", "q", List.of("red", "blue"), List.of("red", "blue")),
                new Mmvp.Outcome("b", "color", "q", List.of("red", "blue"), List.of("red", "red")),
                new Mmvp.Outcome("c", "position", "q", List.of("left", "right"), List.of("right", "left")));
        Map<String, Double> metrics = Mmvp.metrics(outcomes);
        assertEquals(1.0 / 3, metrics.get("mmvp/pair_accuracy"), 1e-12);
        assertEquals(3.0 / 6, metrics.get("mmvp/question_accuracy"), 1e-12);
        assertEquals(3, metrics.get("mmvp/pairs"));
        assertEquals(0.5, metrics.get("mmvp/color/pair_accuracy"), 1e-12);
        assertEquals(0.75, metrics.get("mmvp/color/question_accuracy"), 1e-12);
        assertEquals(0, metrics.get("mmvp/position/pair_accuracy"));
    }

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
    void captionMentionsFollowTheWorldsPhrasing() {
        assertEquals(List.of(new Mention("red", "circle"), new Mention("blue", "square")),
                CaptionMentions.parse("There is a small red circle on the left. There are two blue squares."));
        assertEquals(List.of(new Mention("green", "star"), new Mention(null, "heart")),
                CaptionMentions.parse("A large green star and a heart"));
        assertEquals(List.of(new Mention("red", "triangle"), new Mention("orange", "cross"), new Mention(null, "cross")),
                CaptionMentions.parse("Red small triangle, orange crosses; the red is a cross"));
        assertEquals(List.of(), CaptionMentions.parse("a red thing on the left"));
    }

    @Test
    void chairCountsHallucinationsAtObjectAndAttributeLevel() {
        Scene scene = TestWorld.scene("s", "eval", TestWorld.object("circle", "blue", "small", 8, 8),
                TestWorld.object("square", "blue", "large", 24, 24));
        ChairScore score = ChairScore.of(CaptionMentions.parse("There is a red circle and a blue square and a star."), scene);
        assertEquals(new ChairScore(3, 1, 2, 2, 2, 1), score);

        Scene single = TestWorld.scene("t", "eval", TestWorld.object("heart", "purple", "large", 8, 8));
        ChairScore empty = ChairScore.of(CaptionMentions.parse("A picture."), single);
        assertEquals(new ChairScore(0, 0, 0, 1, 0, 0), empty);

        Map<String, Double> metrics = Chair.metrics(List.of(score, empty));
        assertEquals(0.5, metrics.get("chair/chair_s"));
        assertEquals(1.0 / 3, metrics.get("chair/chair_i"), 1e-12);
        assertEquals(2.0 / 3, metrics.get("chair/coverage"), 1e-12);
        assertEquals(0.5, metrics.get("chair/attribute/chair_s"));
        assertEquals(2.0 / 3, metrics.get("chair/attribute/chair_i"), 1e-12);
        assertEquals(1.0 / 3, metrics.get("chair/attribute/coverage"), 1e-12);
        assertEquals(1.5, metrics.get("chair/mentions_per_caption"));
        assertTrue(Double.isNaN(Chair.metrics(List.of(empty)).get("chair/chair_i")), "no mention: CHAIR_i undefined");
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
