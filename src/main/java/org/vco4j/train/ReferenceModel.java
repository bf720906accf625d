package org.vco4j.train;

import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;

import java.util.List;

/**
 * The frozen reference π_ref: the base model with LoRA adapters switched off (no second copy in memory),
 * a separate checkpoint ({@code --ref}), or a frozen copy of the policy's starting weights.
 */
public interface ReferenceModel {
    /** Log-probabilities without autograd, in request order. */
    ScoredBatch score(List<ScoreRequest> requests, boolean sharePrefixes);

    /** Identifies the reference's weights for the on-disk cache. */
    String fingerprint();
}
