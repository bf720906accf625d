package org.vco4j.testing;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks every model family's scoring passes. */
public final class ScoringChecks {
    private ScoringChecks() {}

    /** A padded batch and shared prefixes give each request the log-prob it gets alone (finite and negative). */
    public static void assertPaddedAndSharedEqualOneByOne(Scorer scorer, List<ScoreRequest> requests) {
        try (PointerScope scope = new PointerScope()) {
            float[] shared = Tensors.toFloatArray(scorer.scoreWithoutGrad(requests, true).logps());
            float[] padded = Tensors.toFloatArray(scorer.scoreWithoutGrad(requests, false).logps());
            for (int i = 0; i < requests.size(); i++) {
                float alone = Tensors.toFloatArray(scorer.scoreWithoutGrad(List.of(requests.get(i)), false).logps())[0];
                assertTrue(Float.isFinite(alone) && alone < 0, requests.get(i).id() + ": " + alone);
                assertEquals(alone, padded[i], 1e-4f, "padded batch, " + requests.get(i).id());
                assertEquals(alone, shared[i], 1e-4f, "shared prefixes, " + requests.get(i).id());
            }
        }
    }
}
