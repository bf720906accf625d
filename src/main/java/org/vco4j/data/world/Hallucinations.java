package org.vco4j.data.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The errors a model that trusts the language prior over the image makes, as edited ground truth whose caption
 * is a plausible wrong description. One error per call: with probability {@value #PRIOR_PREFERENCE} one that
 * follows the prior when the scene admits such an error ({@link #followsPrior}), else any, drawn evenly:
 * <ul>
 *   <li>colour: an object in an atypical colour is described in its shape's typical colour; when every object
 *       is typical, one gets another colour at random;</li>
 *   <li>shape: an object is named as the shape whose typical colour it has (a green circle seen as the triangle
 *       that green usually is); an object of its own typical colour gets another shape at random;</li>
 *   <li>count: a shape present several times is described as present the typical number of times; a shape
 *       present the typical number of times gets one more;</li>
 *   <li>position: one object is placed on the other side.</li>
 * </ul>
 */
public final class Hallucinations {
    /** Kinds of error, in draw order. */
    public static final List<String> KINDS = List.of("color", "shape", "count", "position");
    /** How often an error that follows the prior is chosen when the scene admits one. */
    public static final double PRIOR_PREFERENCE = 0.75;

    private Hallucinations() {}

    /** A wrong version of the objects whose caption differs from theirs, and the kind of error, or empty. */
    public static Optional<Hallucination> of(List<SceneObject> objects, WorldSettings settings, RandomGenerator random) {
        String truth = Captions.describe(objects);
        List<Hallucination> options = new ArrayList<>();
        List<Hallucination> byPrior = new ArrayList<>();
        for (String kind : KINDS) {
            List<SceneObject> wrong = switch (kind) {
                case "color" -> color(objects, settings, random);
                case "shape" -> shape(objects, settings, random);
                case "count" -> count(objects, settings, random);
                default -> position(objects, random);
            };
            if (wrong == null || Captions.describe(wrong).equals(truth)) continue;
            Hallucination h = new Hallucination(kind, wrong);
            options.add(h);
            if (followsPrior(objects, wrong, settings)) byPrior.add(h);
        }
        List<Hallucination> pool = !byPrior.isEmpty() && random.nextDouble() < PRIOR_PREFERENCE ? byPrior : options;
        return pool.isEmpty() ? Optional.empty() : Optional.of(pool.get(random.nextInt(pool.size())));
    }

    /**
     * True when the wrong scene is closer to the prior than the truth: more objects in their shape's typical
     * colour, or more shapes at their typical count.
     */
    static boolean followsPrior(List<SceneObject> truth, List<SceneObject> wrong, WorldSettings settings) {
        return typicalColors(wrong, settings) > typicalColors(truth, settings)
                || typicalCounts(wrong, settings) > typicalCounts(truth, settings);
    }

    private static long typicalColors(List<SceneObject> objects, WorldSettings settings) {
        return objects.stream().filter(o -> o.color().equals(settings.typicalColor(o.shape()))).count();
    }

    private static long typicalCounts(List<SceneObject> objects, WorldSettings settings) {
        return objects.stream().map(SceneObject::shape).distinct()
                .filter(s -> objects.stream().filter(o -> o.shape().equals(s)).count() == settings.typicalCountValue())
                .count();
    }

    /** A wrong scene and the kind of error that made it. */
    public record Hallucination(String kind, List<SceneObject> objects) {}

    private static List<SceneObject> color(List<SceneObject> objects, WorldSettings settings, RandomGenerator random) {
        List<Integer> atypical = indices(objects, o -> !o.color().equals(settings.typicalColor(o.shape())));
        if (!atypical.isEmpty()) {
            int i = atypical.get(random.nextInt(atypical.size()));
            return replaced(objects, i, withColor(objects.get(i), settings.typicalColor(objects.get(i).shape())));
        }
        int i = random.nextInt(objects.size());
        List<String> others = WorldVocabulary.COLORS.stream().filter(c -> !c.equals(objects.get(i).color())).toList();
        return replaced(objects, i, withColor(objects.get(i), others.get(random.nextInt(others.size()))));
    }

    private static List<SceneObject> shape(List<SceneObject> objects, WorldSettings settings, RandomGenerator random) {
        int i = random.nextInt(objects.size());
        SceneObject o = objects.get(i);
        String expected = WorldVocabulary.SHAPES.stream()
                .filter(s -> settings.typicalColor(s).equals(o.color())).findFirst().orElse(o.shape());
        String shape = expected;
        if (shape.equals(o.shape())) {
            List<String> others = WorldVocabulary.SHAPES.stream().filter(s -> !s.equals(o.shape())).toList();
            shape = others.get(random.nextInt(others.size()));
        }
        return replaced(objects, i, new SceneObject(shape, o.color(), o.size(), o.x(), o.y(), o.region()));
    }

    private static List<SceneObject> count(List<SceneObject> objects, WorldSettings settings, RandomGenerator random) {
        List<String> shapes = objects.stream().map(SceneObject::shape).distinct().toList();
        String shape = shapes.get(random.nextInt(shapes.size()));
        List<SceneObject> same = objects.stream().filter(o -> o.shape().equals(shape)).toList();
        int typical = settings.typicalCountValue();
        List<SceneObject> wrong = new ArrayList<>(objects);
        if (same.size() > typical) {
            // Keep the first `typical` of them: the prior's count, with the colours the model did see.
            for (int k = typical; k < same.size(); k++) wrong.remove(same.get(k));
        } else if (objects.size() < SceneSampler.MAX_OBJECTS) {
            // Never drawn, only described: the extra object may share its model's place.
            wrong.add(same.get(random.nextInt(same.size())));
        } else {
            return null;
        }
        return List.copyOf(wrong);
    }

    private static List<SceneObject> position(List<SceneObject> objects, RandomGenerator random) {
        int i = random.nextInt(objects.size());
        SceneObject o = objects.get(i);
        return replaced(objects, i, new SceneObject(o.shape(), o.color(), o.size(), o.x(), o.y(),
                o.region().equals("left") ? "right" : "left"));
    }

    private static SceneObject withColor(SceneObject o, String color) {
        return new SceneObject(o.shape(), color, o.size(), o.x(), o.y(), o.region());
    }

    private static List<Integer> indices(List<SceneObject> objects, java.util.function.Predicate<SceneObject> test) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) if (test.test(objects.get(i))) out.add(i);
        return out;
    }

    private static List<SceneObject> replaced(List<SceneObject> objects, int index, SceneObject replacement) {
        List<SceneObject> edited = new ArrayList<>(objects);
        edited.set(index, replacement);
        return List.copyOf(edited);
    }
}
