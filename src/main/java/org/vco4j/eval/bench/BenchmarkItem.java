package org.vco4j.eval.bench;

import java.nio.file.Path;

/**
 * One question of a published benchmark as the model is asked it: a stable id (unique within the run, the key
 * of the answers file), the image file and the prompt text (placeholders are added by the prompt rule).
 */
public record BenchmarkItem(String id, Path image, String prompt) {}
