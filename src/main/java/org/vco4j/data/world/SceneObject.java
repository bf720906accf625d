package org.vco4j.data.world;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One object of a synthetic scene: what it is and where. {@code x} and {@code y} are the centre in pixels;
 * {@code region} is "left" or "right" of the image's vertical midline, the position the captions speak of.
 */
public record SceneObject(@JsonProperty("shape") String shape, @JsonProperty("color") String color,
                          @JsonProperty("size") String size, @JsonProperty("x") int x, @JsonProperty("y") int y,
                          @JsonProperty("region") String region) {
    public SceneObject {
        WorldVocabulary.require("shape", shape, WorldVocabulary.SHAPES);
        WorldVocabulary.require("color", color, WorldVocabulary.COLORS);
        WorldVocabulary.require("size", size, WorldVocabulary.SIZES);
        WorldVocabulary.require("region", region, WorldVocabulary.REGIONS);
    }

    /** "red circle", "small blue square": the words a caption uses for this object. */
    public String noun(boolean withSize) {
        return (withSize ? size + " " : "") + color + " " + shape;
    }
}
