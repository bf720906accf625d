package org.vco4j.data.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Minimal edits of a scene, one per {@link ContrastType}, each chosen at random among the edits that keep the
 * layout valid and change the scene's description (an edit the caption cannot tell apart is no contrast):
 * <ul>
 *   <li>object: one object takes another shape (same colour, size and place);</li>
 *   <li>attribute: one object takes another colour, or the other size if it still fits (even odds);</li>
 *   <li>count: one object joins a shape already present (a twin of one of them: same colour and size, on the same
 *       side when there is room; a small one when only that fits) or
 *       leaves a shape present at least twice (even odds, as far as possible);</li>
 *   <li>position: every object moves to its mirrored place (x → side − 1 − x, region flipped).</li>
 * </ul>
 */
public final class MinimalEdits {
    private MinimalEdits() {}

    /** The edited objects, or empty when this scene admits no such edit. */
    public static Optional<List<SceneObject>> edit(List<SceneObject> objects, ContrastType type, int imageSize,
                                                   RandomGenerator random) {
        String caption = Captions.describe(objects);
        // Each family of edits is cut to those the caption can tell apart before one family is chosen.
        List<List<SceneObject>> candidates = switch (type) {
            case OBJECT -> useful(shapeChanges(objects), caption);
            case ATTRIBUTE -> either(useful(colorChanges(objects), caption), useful(sizeChanges(objects, imageSize), caption), random);
            case COUNT -> either(useful(removals(objects), caption),
                    useful(addition(objects, imageSize, random).map(List::of).orElse(List.of()), caption), random);
            case POSITION -> useful(List.of(objects.stream().map(o -> Layout.mirrored(o, imageSize)).toList()), caption);
        };
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(random.nextInt(candidates.size())));
    }

    private static List<List<SceneObject>> useful(List<List<SceneObject>> candidates, String caption) {
        return candidates.stream().filter(c -> !Captions.describe(c).equals(caption)).toList();
    }

    /** One of two families at even odds, or the one that is not empty. */
    private static List<List<SceneObject>> either(List<List<SceneObject>> a, List<List<SceneObject>> b, RandomGenerator random) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return random.nextBoolean() ? a : b;
    }

    private static List<List<SceneObject>> shapeChanges(List<SceneObject> objects) {
        List<List<SceneObject>> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            for (String shape : WorldVocabulary.SHAPES) {
                if (!shape.equals(o.shape())) out.add(replaced(objects, i, new SceneObject(shape, o.color(), o.size(), o.x(), o.y(), o.region())));
            }
        }
        return out;
    }

    private static List<List<SceneObject>> colorChanges(List<SceneObject> objects) {
        List<List<SceneObject>> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            for (String color : WorldVocabulary.COLORS) {
                if (!color.equals(o.color())) out.add(replaced(objects, i, new SceneObject(o.shape(), color, o.size(), o.x(), o.y(), o.region())));
            }
        }
        return out;
    }

    private static List<List<SceneObject>> sizeChanges(List<SceneObject> objects, int imageSize) {
        List<List<SceneObject>> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            SceneObject o = objects.get(i);
            String size = o.size().equals("small") ? "large" : "small";
            List<SceneObject> edited = replaced(objects, i, new SceneObject(o.shape(), o.color(), size, o.x(), o.y(), o.region()));
            if (Layout.valid(edited, imageSize)) out.add(edited);
        }
        return out;
    }

    private static List<List<SceneObject>> removals(List<SceneObject> objects) {
        List<List<SceneObject>> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            String shape = objects.get(i).shape();
            if (objects.stream().filter(o -> o.shape().equals(shape)).count() >= 2) {
                List<SceneObject> edited = new ArrayList<>(objects);
                edited.remove(i);
                out.add(List.copyOf(edited));
            }
        }
        return out;
    }

    private static Optional<List<SceneObject>> addition(List<SceneObject> objects, int imageSize, RandomGenerator random) {
        if (objects.size() >= SceneSampler.MAX_OBJECTS) return Optional.empty();
        SceneObject model = objects.get(random.nextInt(objects.size()));
        // A twin of an object (same size, same side) changes the caption's count and nothing else when it can.
        Optional<SceneObject> twin = Layout.place(model.shape(), model.color(), model.size(), model.region(), objects, imageSize, random);
        if (twin.isEmpty()) twin = Layout.place(model.shape(), model.color(), model.size(), objects, imageSize, random);
        if (twin.isEmpty()) twin = Layout.place(model.shape(), model.color(), "small", objects, imageSize, random);
        return twin.map(added -> {
            List<SceneObject> edited = new ArrayList<>(objects);
            edited.add(added);
            return List.copyOf(edited);
        });
    }

    private static List<SceneObject> replaced(List<SceneObject> objects, int index, SceneObject replacement) {
        List<SceneObject> edited = new ArrayList<>(objects);
        edited.set(index, replacement);
        return List.copyOf(edited);
    }
}
