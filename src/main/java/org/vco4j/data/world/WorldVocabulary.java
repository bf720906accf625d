package org.vco4j.data.world;

import java.util.List;

/** The closed vocabulary of the synthetic contrast world: every word its captions and questions use for content. */
public final class WorldVocabulary {
    private WorldVocabulary() {}

    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "heart", "cross");
    public static final List<String> COLORS = List.of("red", "green", "blue", "yellow", "purple", "orange");
    public static final List<String> SIZES = List.of("small", "large");
    public static final List<String> REGIONS = List.of("left", "right");
    /** Number words for counts 1–4 (scenes hold one to four objects). */
    public static final List<String> COUNTS = List.of("one", "two", "three", "four");

    /** The number word for {@code n} (1–4). */
    public static String count(int n) {
        if (n < 1 || n > COUNTS.size()) throw new IllegalArgumentException("count " + n + " is outside 1.." + COUNTS.size());
        return COUNTS.get(n - 1);
    }

    /** Plural of a shape noun ("crosses", "circles"). */
    public static String plural(String shape) {
        return shape.endsWith("s") ? shape + "es" : shape + "s";
    }

    static void require(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " '" + value + "' is not one of " + allowed);
        }
    }
}
