package org.vco4j.model.processing;

/**
 * A condition turned into model inputs: token ids with every image placeholder expanded to the model's
 * feature slots for that image, and the preprocessed images (null when there are none).
 */
public record PreparedPrompt(long[] ids, ImageInputs images) {}
