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
            case ADVERSARIAL -> Comparator.comparingDouble((ObjectKind kind) -> statistics.cooccurrence(kind, present)).reversed();
        };
        candidates.sort(ranking);
        return List.copyOf(candidates.subList(0, Math.min(present.size(), candidates.size())));
    }

    static long sceneSeed(long seed, String sceneId) {
        return seed * 0x9E3779B97F4A7C15L + sceneId.hashCode();
    }
}
