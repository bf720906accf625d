package org.vco4j.request;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a response is conditioned on: which of the sample's images are shown and which prompt variant
 * asks the question. Conditions name the sample's roles, never concrete files: {@code m} is the image
 * that {@code y} is true of, {@code m'} the contrasting image that {@code y'} is true of.
 *
 * <p>The two multi-image conditions show both images in one context. Their order is drawn per sample by
 * the objective ({@link Objective#drawSwaps}); the anchor sentence follows the image it names, so a
 * scorer turns {@link #BOTH_IMAGES_ANCHORED_TO_IMAGE} into "first image" when the sample is not swapped
 * and into "second image" when it is.
 */
public enum Condition {
    /** The image {@code m} and the plain prompt {@code x}. */
    IMAGE("m"),
    /** The contrasting image {@code m'} and the plain prompt {@code x}. */
    CONTRAST_IMAGE("m'"),
    /** The same chat with no image slot at all (not a black image) and the plain prompt. */
    NO_IMAGE("none"),
    /**
     * A random crop of {@code m} (mDPO: RandomResizedCrop keeping 1–20 % of the area, resized back) and the
     * plain prompt. The scorer draws one crop per sample and uses it for both policy and reference.
     */
    CROPPED_IMAGE("m_crop"),
    /** Both images {@code M = [m, m']} in one context, prompt {@code x̂} anchored to the image {@code m}. */
    BOTH_IMAGES_ANCHORED_TO_IMAGE("M,x^"),
    /** Both images {@code M = [m, m']} in one context, prompt {@code x̂'} anchored to the image {@code m'}. */
    BOTH_IMAGES_ANCHORED_TO_CONTRAST("M,x^'");

    private final String symbol;

    Condition(String symbol) {
        this.symbol = symbol;
    }

    /** The ASCII symbol used in request names, e.g. {@code m'} or {@code M,x^}. */
    public String symbol() {
        return symbol;
    }

    /** True for the two conditions that show both images in one context. */
    public boolean showsBothImages() {
        return this == BOTH_IMAGES_ANCHORED_TO_IMAGE || this == BOTH_IMAGES_ANCHORED_TO_CONTRAST;
    }

    /** The condition with the symbol {@code symbol}. */
    public static Condition fromSymbol(String symbol) {
        for (Condition condition : values()) {
            if (condition.symbol.equals(symbol)) return condition;
        }
        throw new IllegalArgumentException("unknown condition '" + symbol + "'; known: "
                + Arrays.stream(values()).map(Condition::symbol).collect(Collectors.joining(", ")));
    }
}
