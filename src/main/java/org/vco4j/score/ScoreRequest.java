package org.vco4j.score;

import org.vco4j.model.processing.Condition;

import java.util.List;

/**
 * One log-probability to compute: {@code log π(response | condition)}, summed over the response's tokens
 * (its end-of-sequence token included) or, with {@code maskSpans}, over the tokens overlapping those
 * character spans of the response.
 */
public record ScoreRequest(String id, Condition condition, String response, List<int[]> maskSpans) {
    public ScoreRequest {
        maskSpans = maskSpans == null ? null : List.copyOf(maskSpans);
    }

    public ScoreRequest(String id, Condition condition, String response) {
        this(id, condition, response, null);
    }
}
