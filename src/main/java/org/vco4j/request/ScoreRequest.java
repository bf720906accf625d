package org.vco4j.request;

import org.vco4j.model.processing.Context;

import java.util.List;

/**
 * One log-probability to compute: {@code log π(response | context)}, summed over the response's tokens
 * (its end-of-sequence token included) or, with {@code maskSpans}, over the tokens overlapping those
 * character spans of the response.
 */
public record ScoreRequest(String id, Context context, String response, List<int[]> maskSpans) {
    public ScoreRequest {
        maskSpans = maskSpans == null ? null : List.copyOf(maskSpans);
    }

    public ScoreRequest(String id, Context context, String response) {
        this(id, context, response, null);
    }
}
