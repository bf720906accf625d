package org.vco4j.model.generation;

import org.vco4j.model.processing.Context;

import java.util.List;

/**
 * One request to the {@link GenerationEngine}: a condition (images and a prompt, see {@link Context}'s prompt rule),
 * decoding settings, and stop strings: the answer ends before the first of them it contains, which is left out
 * (as OpenAI's {@code stop}).
 */
public record GenerationRequest(Context condition, GenerationConfig config, List<String> stop) {
    public GenerationRequest {
        stop = List.copyOf(stop);
        for (String s : stop) if (s.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
    }

    public GenerationRequest(Context condition, GenerationConfig config) {
        this(condition, config, List.of());
    }
}
