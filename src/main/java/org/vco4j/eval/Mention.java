package org.vco4j.eval;

/** An object named in a caption: its shape and, when the caption gives one, its colour (else null). */
public record Mention(String color, String shape) {
    @Override
    public String toString() {
        return color == null ? shape : color + " " + shape;
    }
}
