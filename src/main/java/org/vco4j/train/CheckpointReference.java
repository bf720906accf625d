package org.vco4j.train;

import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;

import java.util.List;

/**
 * A reference held as its own model: a separate checkpoint ({@code --ref}) or, for full fine-tuning, a
 * frozen second copy of the starting weights. Owns the loaded model; close it when done.
 */
public final class CheckpointReference implements ReferenceModel, AutoCloseable {
    private final PretrainedVlm vlm;
    private final Scorer scorer;
    private final String fingerprint;

    /**
     * @param autocast        the dtype of a mixed-precision forward, as the policy's ({@link TrainConfig#autocastDtype}), or null
     * @param padToMultipleOf as the policy's ({@link TrainConfig#padToMultipleOf})
     */
    public CheckpointReference(PretrainedVlm vlm, String fingerprint, ScalarType autocast, int padToMultipleOf) {
        this.vlm = vlm;
        this.scorer = new Scorer(vlm.model(), vlm.processor(), autocast, padToMultipleOf);
        this.fingerprint = fingerprint;
        vlm.model().module().requiresGrad(false);
    }

    @Override
    public ScoredBatch score(List<ScoreRequest> requests, boolean sharePrefixes) {
        return scorer.scoreWithoutGrad(requests, sharePrefixes);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        vlm.close();
    }
}
