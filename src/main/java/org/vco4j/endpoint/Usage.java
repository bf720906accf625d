package org.vco4j.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;

/**
 * Tokens a request used, as the endpoint reported them: chat completions' {@code usage.prompt_tokens} and
 * {@code completion_tokens}, or the images API's {@code usage.input_tokens} and {@code output_tokens}. Zero where the
 * endpoint reports none.
 */
public record Usage(long inputTokens, long outputTokens) {
    public static final Usage NONE = new Usage(0, 0);

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
    }

    /** The usage object of a reply body (either API's names), or {@link #NONE}. */
    public static Usage of(JsonNode usage) {
        if (usage == null || !usage.isObject()) return NONE;
        long input = usage.has("prompt_tokens") ? usage.path("prompt_tokens").asLong() : usage.path("input_tokens").asLong();
        long output = usage.has("completion_tokens") ? usage.path("completion_tokens").asLong() : usage.path("output_tokens").asLong();
        return new Usage(input, output);
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("input_tokens", inputTokens);
        node.put("output_tokens", outputTokens);
        return node;
    }
}
