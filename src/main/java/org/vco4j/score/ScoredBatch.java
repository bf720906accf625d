package org.vco4j.score;

import org.bytedeco.pytorch.Tensor;

/**
 * Summed log-probabilities [N] (float32, carrying autograd history when scored with gradients) and the
 * number of tokens each sum ran over, in request order.
 */
public record ScoredBatch(Tensor logps, long[] tokens) {}
