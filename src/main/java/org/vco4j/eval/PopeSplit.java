package org.vco4j.eval;

import java.util.Locale;

/**
 * How POPE picks the absent objects it asks about (Li et al., 2023), translated to the synthetic world where an
 * "object" is a colour and a shape.
 */
public enum PopeSplit {
    /** Absent kinds drawn uniformly. */
    RANDOM,
    /** The absent kinds shown in most reference scenes. */
    POPULAR,
    /**
     * The absent kinds the model's prior most expects here: first a present shape in another colour the world
     * paints it in, ranked by how often (a blue circle is present; "is there a red circle?" when circles are
     * usually red), then the other kinds ranked by how often they appear in reference scenes that share a kind
     * with this one (POPE's co-occurrence).
     */
    ADVERSARIAL;

    /** "random", "popular", "adversarial": the name in metric keys and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
