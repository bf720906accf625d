package org.vco4j.eval;

import org.vco4j.data.world.Scene;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Builds POPE's balanced question sets: per scene, one "yes" question for each distinct object kind it shows and
 * as many "no" questions about absent kinds, chosen by the split's rule. The same seed gives the same questions;
 * the three splits share one shuffle per scene, so they differ only where their rules do.
 */
public final class PopeQuestions {
    private PopeQuestions() {}

    public static List<PopeQuestion> build(Path worldFolder, List<Scene> scenes, WorldStatistics statistics, PopeSplit split, long seed) {
        List<PopeQuestion> questions = new ArrayList<>();
        for (Scene scene : scenes) {
            Path image = worldFolder.resolve(scene.image());
            Set<ObjectKind> present = WorldStatistics.kinds(scene);
            for (ObjectKind kind : present) questions.add(new PopeQuestion(split, scene.id(), image, kind, true));
            for (ObjectKind kind : absent(scene, present, statistics, split, seed)) {
                questions.add(new PopeQuestion(split, scene.id(), image, kind, false));
            }
        }
        return questions;
    }

    /** As many absent kinds as the scene has present ones, best first by the split's ranking. */
    static List<ObjectKind> absent(Scene scene, Set<ObjectKind> present, WorldStatistics statistics, PopeSplit split, long seed) {
        List<ObjectKind> candidates = new ArrayList<>(ObjectKind.all());
        candidates.removeAll(present);
        Collections.shuffle(candidates, new Random(sceneSeed(seed, scene.id())));
        // The shuffle breaks ties; the sort is stable, so equal ranks keep the seeded order.
        Comparator<ObjectKind> ranking = switch (split) {
            case RANDOM -> (a, b) -> 0;
            case POPULAR -> Comparator.comparingInt(statistics::sceneFrequency).reversed();
            case ADVERSARIAL -> Comparator.comparingDouble((ObjectKind kind) -> adversarialScore(kind, present, statistics)).reversed();
        };
        candidates.sort(ranking);
        return List.copyOf(candidates.subList(0, Math.min(present.size(), candidates.size())));
    }

    /**
     * 1 + P(colour | shape) for a present shape in another colour the world does paint it in, so those lures come
     * first and the shape's typical colour leads; otherwise the kind's co-occurrence with the scene's kinds, in [0, 1].
     */
    static double adversarialScore(ObjectKind kind, Set<ObjectKind> present, WorldStatistics statistics) {
        boolean shapePresent = present.stream().anyMatch(p -> p.shape().equals(kind.shape()));
        double prior = statistics.colorGivenShape(kind.color(), kind.shape());
        return shapePresent && prior > 0 ? 1 + prior : statistics.cooccurrence(kind, present);
    }

    static long sceneSeed(long seed, String sceneId) {
        return seed * 0x9E3779B97F4A7C15L + sceneId.hashCode();
    }
}
