package org.vco4j.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * An MMVP-style pair: two minimally different images and one question whose right answer differs between them
 * ({@code answers.get(i)} is right for {@code images.get(i)}). The model chooses among {@code candidates}, which
 * include both answers.
 *
 * @param kind what differs: "color" (one object recoloured), "position" (the picture mirrored), or the contrast
 *             type named by a pairs file
 */
public record MmvpPair(String id, String kind, String question, List<Path> images, List<String> answers, List<String> candidates) {
    public MmvpPair {
        images = List.copyOf(images);
        answers = List.copyOf(answers);
        candidates = List.copyOf(candidates);
        if (images.size() != 2 || answers.size() != 2) {
            throw new IllegalArgumentException("pair '" + id + "': needs two images and two answers, got " + images.size() + " and " + answers.size());
        }
        if (answers.get(0).equals(answers.get(1))) throw new IllegalArgumentException("pair '" + id + "': both images have the answer \"" + answers.get(0) + "\"");
        if (!candidates.containsAll(answers)) throw new IllegalArgumentException("pair '" + id + "': candidates " + candidates + " miss an answer of " + answers);
    }
}
