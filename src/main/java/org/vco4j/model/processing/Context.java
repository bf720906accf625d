package org.vco4j.model.processing;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The context a response is scored or generated in: zero or more images and a user prompt. Two requests
 * with equal contexts share a prefix (vision features, prompt keys and values).
 *
 * <p><b>The prompt rule</b>, the same for {@code vco score}, {@code generate}, {@code train}, {@code eval} and
 * every other path into a model (each goes through {@link #withDefaultPlaceholders}):
 * <ul>
 *   <li>a prompt without any {@value #IMAGE_PLACEHOLDER} gets one {@code "<image>\n"} per image in front,
 *       in order (LLaVA's training layout: the images go first);</li>
 *   <li>a prompt with placeholders must have exactly one per image; each takes the next image, in order;</li>
 *   <li>a context without images has no image slot at all (the papers' ∅, not a blank image).</li>
 * </ul>
 */
public record Context(List<Path> images, String prompt) {
    public static final String IMAGE_PLACEHOLDER = "<image>";

    public Context {
        images = List.copyOf(images);
        Objects.requireNonNull(prompt, "prompt");
    }

    /** A context with no image slot at all (the papers' ∅), not a blank image. */
    public static Context textOnly(String prompt) {
        return new Context(List.of(), prompt);
    }

    /** Number of {@value #IMAGE_PLACEHOLDER} placeholders in the prompt. */
    public int placeholders() {
        int count = 0;
        for (int at = prompt.indexOf(IMAGE_PLACEHOLDER); at >= 0; at = prompt.indexOf(IMAGE_PLACEHOLDER, at + 1)) count++;
        return count;
    }

    /**
     * The same context with one {@code "<image>\n"} placeholder per image put in front of a prompt that has
     * none (LLaVA's training layout); a prompt that already places its images is returned unchanged.
     */
    public Context withDefaultPlaceholders() {
        if (images.isEmpty() || placeholders() > 0) return this;
        return new Context(images, (IMAGE_PLACEHOLDER + "\n").repeat(images.size()) + prompt);
    }
}
