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
     * The absent kinds that appear most often together with this scene's kinds: ranked by how often they appear in
     * reference scenes that share a kind with this one (POPE's co-occurrence). In a world with a co-occurrence prior
     * these are the present shapes' typical companions in their typical colours.
     */
    ADVERSARIAL;

    /** "random", "popular", "adversarial": the name in metric keys and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
