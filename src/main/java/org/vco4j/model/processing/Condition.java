package org.vco4j.model.processing;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a response is conditioned on: zero or more images and a user prompt in which each
 * {@value #IMAGE_PLACEHOLDER} placeholder takes one image, in order. Two requests with equal conditions
 * share a prefix (vision features, prompt keys and values).
 */
public record Condition(List<Path> images, String prompt) {
    public static final String IMAGE_PLACEHOLDER = "<image>";

    public Condition {
        images = List.copyOf(images);
        Objects.requireNonNull(prompt, "prompt");
    }

    /** A condition with no image slot at all (the papers' ∅), not a blank image. */
    public static Condition textOnly(String prompt) {
        return new Condition(List.of(), prompt);
    }

    /** Number of {@value #IMAGE_PLACEHOLDER} placeholders in the prompt. */
    public int placeholders() {
        int count = 0;
        for (int at = prompt.indexOf(IMAGE_PLACEHOLDER); at >= 0; at = prompt.indexOf(IMAGE_PLACEHOLDER, at + 1)) count++;
        return count;
    }

    /**
     * The same condition with one {@code "<image>\n"} placeholder per image put in front of a prompt that has
     * none (LLaVA's training layout); a prompt that already places its images is returned unchanged.
     */
    public Condition withDefaultPlaceholders() {
        if (images.isEmpty() || placeholders() > 0) return this;
        return new Condition(images, (IMAGE_PLACEHOLDER + "\n").repeat(images.size()) + prompt);
    }
}
