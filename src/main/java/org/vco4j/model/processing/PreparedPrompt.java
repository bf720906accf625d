package org.vco4j.model.processing;

import org.bytedeco.pytorch.Tensor;

/**
 * A condition turned into model inputs: token ids with every image placeholder expanded to the model's
 * feature slots, and the preprocessed images [N, 3, H, W] (null when there are none).
 */
public record PreparedPrompt(long[] ids, Tensor pixelValues) {}
