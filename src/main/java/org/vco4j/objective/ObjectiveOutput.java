package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an objective makes of one batch.
 *
 * @param loss    the batch loss, a scalar tensor carrying autograd back to the policy log-probs
 * @param metrics named batch statistics with TRL-style slash names ({@code rewards/margins},
 *                {@code vcdist/active}, ...), in a stable order
 */
public record ObjectiveOutput(Tensor loss, Map<String, Double> metrics) {
    public ObjectiveOutput {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
