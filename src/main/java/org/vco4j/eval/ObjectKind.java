package org.vco4j.eval;

import org.vco4j.data.world.WorldVocabulary;

import java.util.ArrayList;
import java.util.List;

/** A kind of object the world can show, a colour and a shape ("red circle"): the unit POPE asks about and CHAIR counts. */
public record ObjectKind(String color, String shape) {
    public ObjectKind {
        if (!WorldVocabulary.COLORS.contains(color)) throw new IllegalArgumentException("color '" + color + "' is not one of " + WorldVocabulary.COLORS);
        if (!WorldVocabulary.SHAPES.contains(shape)) throw new IllegalArgumentException("shape '" + shape + "' is not one of " + WorldVocabulary.SHAPES);
    }

    /** Every colour × shape, in vocabulary order (colour-major). */
    public static List<ObjectKind> all() {
        List<ObjectKind> kinds = new ArrayList<>();
        for (String color : WorldVocabulary.COLORS) for (String shape : WorldVocabulary.SHAPES) kinds.add(new ObjectKind(color, shape));
        return kinds;
    }

    public String noun() {
        return color + " " + shape;
    }

    @Override
    public String toString() {
        return noun();
    }
}
