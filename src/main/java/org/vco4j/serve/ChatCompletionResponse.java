package org.vco4j.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.model.generation.Completion;

/**
 * The objects one chat completion is answered with, in OpenAI's shape: a {@code chat.completion}, or the
 * {@code chat.completion.chunk}s of a stream, all with the same id, creation time and model.
 */
record ChatCompletionResponse(String id, long created, String model) {

    /** The whole answer: one choice with the assistant's message, its finish reason, and the token usage. */
    ObjectNode completion(Completion completion) {
        ObjectNode root = header("chat.completion");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", completion.text());
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", completion.finishReason().apiName());
        root.set("usage", usage(completion));
        return root;
    }

    /** A stream chunk with one choice holding {@code delta}; {@code finishReason} is null until the last one. */
    ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode root = header("chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return root;
    }

    /** The chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
    ObjectNode usageChunk(Completion completion) {
        ObjectNode root = header("chat.completion.chunk");
        root.putArray("choices");
        root.set("usage", usage(completion));
        return root;
    }

    ObjectNode roleDelta() {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.put("role", "assistant");
        delta.put("content", "");
        return delta;
    }

    ObjectNode contentDelta(String text) {
        return Json.MAPPER.createObjectNode().put("content", text);
    }

    private ObjectNode header(String object) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.putNull("system_fingerprint");
        return root;
    }

    private static ObjectNode usage(Completion completion) {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("prompt_tokens", completion.promptTokens());
        usage.put("completion_tokens", completion.ids().length);
        usage.put("total_tokens", completion.promptTokens() + completion.ids().length);
        return usage;
    }
}
