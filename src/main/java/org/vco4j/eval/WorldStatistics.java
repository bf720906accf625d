package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.WorldVocabulary;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model could have learnt about the world without looking: how often each object kind appears, which colour
 * each shape usually has, which kinds appear together. Computed from reference scenes (the training half of the
 * world when it has one), it defines POPE's popular and adversarial negatives and MMVP's contrasting colours.
 */
public final class WorldStatistics {
    private final List<Set<ObjectKind>> sceneKinds;
    private final Map<ObjectKind, Integer> sceneFrequency = new HashMap<>();
    private final Map<ObjectKind, Integer> objectCount = new HashMap<>();
    private final Map<String, Integer> shapeCount = new HashMap<>();

    private WorldStatistics(List<Scene> reference) {
        sceneKinds = reference.stream().map(WorldStatistics::kinds).toList();
        for (Set<ObjectKind> kinds : sceneKinds) for (ObjectKind kind : kinds) sceneFrequency.merge(kind, 1, Integer::sum);
        for (Scene scene : reference) {
            for (SceneObject object : scene.objects()) {
                objectCount.merge(new ObjectKind(object.color(), object.shape()), 1, Integer::sum);
                shapeCount.merge(object.shape(), 1, Integer::sum);
            }
        }
    }

    /** Statistics of the world's training scenes, or of all its scenes when it has no training half. */
    public static WorldStatistics of(List<Scene> world) {
        List<Scene> train = world.stream().filter(s -> s.split().equals("train")).toList();
        return new WorldStatistics(train.isEmpty() ? world : train);
    }

    /** Statistics of exactly these scenes. */
    public static WorldStatistics ofScenes(List<Scene> scenes) {
        return new WorldStatistics(scenes);
    }

    /** The distinct object kinds of a scene, in scene order. */
    public static Set<ObjectKind> kinds(Scene scene) {
        Set<ObjectKind> kinds = new LinkedHashSet<>();
        for (SceneObject object : scene.objects()) kinds.add(new ObjectKind(object.color(), object.shape()));
        return kinds;
    }

    /** Number of reference scenes that show this kind. */
    public int sceneFrequency(ObjectKind kind) {
        return sceneFrequency.getOrDefault(kind, 0);
    }

    /** P(colour | shape) over reference objects; 0 for a shape never seen. */
    public double colorGivenShape(String color, String shape) {
        int shapes = shapeCount.getOrDefault(shape, 0);
        return shapes == 0 ? 0 : objectCount.getOrDefault(new ObjectKind(color, shape), 0) / (double) shapes;
    }

    /** The shape's most frequent colour (first in vocabulary order on ties), or null for a shape never seen. */
    public String typicalColor(String shape) {
        String best = null;
        double bestP = 0;
        for (String color : WorldVocabulary.COLORS) {
            double p = colorGivenShape(color, shape);
            if (p > bestP) {
                best = color;
                bestP = p;
            }
        }
        return best;
    }

    /**
     * Among reference scenes that share at least one kind with {@code present}, the fraction that also show
     * {@code kind}: POPE's co-occurrence, asked of one scene's objects together.
     */
    public double cooccurrence(ObjectKind kind, Set<ObjectKind> present) {
        int sharing = 0;
        int withKind = 0;
        for (Set<ObjectKind> kinds : sceneKinds) {
            if (kinds.stream().noneMatch(present::contains)) continue;
            sharing++;
            if (kinds.contains(kind)) withKind++;
        }
        return sharing == 0 ? 0 : withKind / (double) sharing;
    }
}
