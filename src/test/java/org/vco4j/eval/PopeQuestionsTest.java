package org.vco4j.eval;

import org.junit.jupiter.api.Test;
import org.vco4j.data.world.Scene;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class PopeQuestionsTest {
    private static final Path WORLD = Path.of("world");
    private static final List<Scene> ALL = TestWorld.scenes();
    private static final List<Scene> EVAL = ALL.stream().filter(s -> s.split().equals("eval")).toList();
    private static final WorldStatistics STATISTICS = WorldStatistics.of(ALL);

    private static List<PopeQuestion> build(PopeSplit split, long seed) {
        return PopeQuestions.build(WORLD, EVAL, STATISTICS, split, seed);
    }

    @Test
    void everySplitIsBalancedPerSceneAndTellsTheTruth() {
        for (PopeSplit split : PopeSplit.values()) {
            List<PopeQuestion> questions = build(split, 3);
            Map<String, List<PopeQuestion>> byScene = questions.stream().collect(Collectors.groupingBy(PopeQuestion::sceneId));
            assertEquals(EVAL.size(), byScene.size(), split.label());
            for (Scene scene : EVAL) {
                List<PopeQuestion> asked = byScene.get(scene.id());
                long yes = asked.stream().filter(PopeQuestion::truth).count();
                assertEquals(WorldStatistics.kinds(scene).size(), yes, split + " " + scene.id());
                assertEquals(yes, asked.size() - yes, split + " " + scene.id());
                for (PopeQuestion q : asked) assertEquals(scene.contains(q.kind().color(), q.kind().shape()), q.truth(), q.id());
                assertEquals(asked.size(), asked.stream().map(PopeQuestion::kind).distinct().count(), "no kind asked twice");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameQuestionsAndAnotherSeedOthers() {
        assertEquals(build(PopeSplit.RANDOM, 7), build(PopeSplit.RANDOM, 7));
        assertEquals(build(PopeSplit.ADVERSARIAL, 7), build(PopeSplit.ADVERSARIAL, 7));
        assertNotEquals(build(PopeSplit.RANDOM, 7), build(PopeSplit.RANDOM, 8));
    }

    @Test
    void adversarialNegativesAreTheKindsSeenMostWithThePresentOnes() {
        // e1 shows a blue circle and a blue square. Training scenes sharing a kind with it: t1, t3, t4 (the blue square);
        // the red circle is in two of them, the star, heart and cross in one, the triangle in none.
        List<ObjectKind> adversarial = negatives(build(PopeSplit.ADVERSARIAL, 1), "e1");
        assertEquals(new ObjectKind("red", "circle"), adversarial.get(0));
        assertTrue(List.of(new ObjectKind("yellow", "star"), new ObjectKind("purple", "heart"), new ObjectKind("orange", "cross"))
                .contains(adversarial.get(1)), adversarial.toString());
        // e4 shows only a purple heart: its lure is what appears with hearts (t4).
        assertTrue(List.of(new ObjectKind("blue", "square"), new ObjectKind("yellow", "star"), new ObjectKind("orange", "cross"))
                .contains(negatives(build(PopeSplit.ADVERSARIAL, 1), "e4").get(0)));

        // Popular: the most frequent absent kind of the training half is the red circle (3 scenes), then 1-scene kinds.
        List<ObjectKind> popular = negatives(build(PopeSplit.POPULAR, 1), "e1");
        assertEquals(new ObjectKind("red", "circle"), popular.get(0));
        assertTrue(List.of(new ObjectKind("green", "triangle"), new ObjectKind("yellow", "star"), new ObjectKind("purple", "heart"),
                new ObjectKind("orange", "cross")).contains(popular.get(1)), popular.toString());
    }

    @Test
    void adversarialDiffersFromRandom() {
        int differing = 0;
        for (long seed = 0; seed < 5; seed++) {
            if (!build(PopeSplit.ADVERSARIAL, seed).stream().map(PopeQuestion::kind).toList()
                    .equals(build(PopeSplit.RANDOM, seed).stream().map(PopeQuestion::kind).toList())) differing++;
        }
        assertEquals(5, differing);
        // Whatever the seed, the kinds seen most with the scene's come first: the red circle with e1's blue square
        // (2 of 3 scenes), the blue square with e2's red circle (2 of 3); e3's star was seen only in t4.
        for (long seed = 0; seed < 5; seed++) {
            List<PopeQuestion> adversarial = build(PopeSplit.ADVERSARIAL, seed);
            assertEquals(new ObjectKind("red", "circle"), negatives(adversarial, "e1").get(0));
            assertEquals(new ObjectKind("blue", "square"), negatives(adversarial, "e2").get(0));
            assertTrue(List.of(new ObjectKind("blue", "square"), new ObjectKind("purple", "heart"), new ObjectKind("orange", "cross"))
                    .containsAll(negatives(adversarial, "e3")), negatives(adversarial, "e3").toString());
        }
    }

    private static List<ObjectKind> negatives(List<PopeQuestion> questions, String scene) {
        return questions.stream().filter(q -> q.sceneId().equals(scene) && !q.truth()).map(PopeQuestion::kind).toList();
    }
}
