package org.vco4j.eval.bench;

import org.vco4j.model.processing.Context;

import java.nio.file.Path;
import java.util.List;

/**
 * One question of a published benchmark as the model is asked it: a stable id (unique within the run, the key
 * of the answers file), the image file (null for a question asked without one, as some of HallusionBench's are)
 * and the prompt text.
 */
public record BenchmarkItem(String id, Path image, String prompt) {
    /** What the model sees: the image in front of the prompt (the prompt rule), or the prompt alone. */
    public Context context() {
        return image == null ? Context.textOnly(prompt) : new Context(List.of(image), prompt).withDefaultPlaceholders();
    }
}
