package org.vco4j.data.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One question the world asks about a scene, with the rule that answers it from the ground truth. Short answers
 * are single lower-case words:
 * <ul>
 *   <li>{@code describe}: "Describe the image." → a {@link Captions caption};</li>
 *   <li>{@code exists}: "Is there a red circle in the image?" → "yes" / "no";</li>
 *   <li>{@code color}: "What colour is the circle?" → "red" (asked when exactly one circle is present);</li>
 *   <li>{@code count}: "How many circles are there?" → "one" … "four" (asked when at least one is present);</li>
 *   <li>{@code position}: "Is the circle on the left or on the right?" → "left" / "right" (exactly one present).</li>
 * </ul>
 *
 * @param kind  one of {@link #KINDS}
 * @param shape the shape asked about (null for describe)
 * @param color the colour asked about (exists only, else null)
 */
public record Question(String kind, String shape, String color) {
    public static final List<String> KINDS = List.of("describe", "exists", "color", "count", "position");

    public Question {
        if (!KINDS.contains(kind)) throw new IllegalArgumentException("question kind '" + kind + "' is not one of " + KINDS);
        if (!kind.equals("describe")) WorldVocabulary.require("shape", shape, WorldVocabulary.SHAPES);
        if (kind.equals("exists")) WorldVocabulary.require("color", color, WorldVocabulary.COLORS);
    }

    public static Question describe() {
        return new Question("describe", null, null);
    }

    public static Question exists(String color, String shape) {
        return new Question("exists", shape, color);
    }

    public static Question colorOf(String shape) {
        return new Question("color", shape, null);
    }

    public static Question countOf(String shape) {
        return new Question("count", shape, null);
    }

    public static Question positionOf(String shape) {
        return new Question("position", shape, null);
    }

    /** The prompt text. */
    public String prompt() {
        return switch (kind) {
            case "describe" -> Captions.DESCRIBE_PROMPT;
            case "exists" -> "Is there a " + color + " " + shape + " in the image?";
            case "color" -> "What colour is the " + shape + "?";
            case "count" -> "How many " + WorldVocabulary.plural(shape) + " are there?";
            case "position" -> "Is the " + shape + " on the left or on the right?";
            default -> throw new IllegalStateException(kind);
        };
    }

    /** The true answer for these objects, or empty when the question does not apply to them. */
    public Optional<String> answer(List<SceneObject> objects) {
        List<SceneObject> withShape = kind.equals("describe") ? objects
                : objects.stream().filter(o -> o.shape().equals(shape)).toList();
        return switch (kind) {
            case "describe" -> Optional.of(Captions.describe(objects));
            case "exists" -> Optional.of(withShape.stream().anyMatch(o -> o.color().equals(color)) ? "yes" : "no");
            case "color" -> withShape.size() == 1 ? Optional.of(withShape.get(0).color()) : Optional.empty();
            case "count" -> withShape.isEmpty() ? Optional.empty() : Optional.of(WorldVocabulary.count(withShape.size()));
            case "position" -> withShape.size() == 1 ? Optional.of(withShape.get(0).region()) : Optional.empty();
            default -> throw new IllegalStateException(kind);
        };
    }

    /** Every question of every kind (existence over all colour–shape pairs), in a fixed order. */
    public static List<Question> all() {
        List<Question> all = new ArrayList<>();
        all.add(describe());
        for (String shape : WorldVocabulary.SHAPES) {
            for (String color : WorldVocabulary.COLORS) all.add(exists(color, shape));
            all.add(colorOf(shape));
            all.add(countOf(shape));
            all.add(positionOf(shape));
        }
        return all;
    }
}
