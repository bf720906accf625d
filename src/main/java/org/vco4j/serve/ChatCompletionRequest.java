package org.vco4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.processing.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/chat/completions}, checked field by field against OpenAI's API: the conversation in
 * the shape chat templates take ({@code {"role", "content": [{"type": "text", "text"}, {"type": "image"}]}}, a string
 * content becoming one text part, {@code developer} read as {@code system}), its images (see {@link ChatImages}), and
 * the sampling settings. Settings this server cannot honour ({@code n} > 1, penalties, logit biases, tools,
 * log-probabilities, structured output) are refused rather than ignored.
 *
 * @param maxTokens {@code max_completion_tokens} or {@code max_tokens}; null: as many as the model's positions allow
 * @param seed      null: a fresh one
 */
record ChatCompletionRequest(String model, List<Map<String, Object>> messages, double temperature, double topP, Long seed,
                             Integer maxTokens, List<String> stop, boolean stream, boolean includeUsage) {
    private static final List<String> ROLES = List.of("system", "developer", "user", "assistant");
    private static final List<String> UNSUPPORTED = List.of("tools", "tool_choice", "functions", "function_call", "audio");
    private static final int MAX_STOPS = 4;

    /** Reads and checks a request body; image parts are added to {@code images} in order. */
    static ChatCompletionRequest parse(JsonNode body, ChatImages images) {
        if (body == null || !body.isObject()) throw ApiError.invalid(null, "the request body must be a JSON object");
        String model = text(body, "model");
        if (model == null) throw ApiError.invalid("model", "'model' is required");
        for (String field : UNSUPPORTED) {
            if (body.hasNonNull(field)) throw ApiError.invalid(field, "'" + field + "' is not supported by this server");
        }
        if (body.hasNonNull("n") && !(body.get("n").canConvertToExactIntegral() && body.get("n").asInt() == 1)) {
            throw ApiError.invalid("n", "only n=1 is supported");
        }
        for (String penalty : List.of("frequency_penalty", "presence_penalty")) {
            if (number(body, penalty, -2, 2, 0) != 0) throw ApiError.invalid(penalty, "'" + penalty + "' is not supported (only 0)");
        }
        if (body.path("logprobs").asBoolean(false) || body.path("top_logprobs").asInt(0) > 0) {
            throw ApiError.invalid("logprobs", "log-probabilities are not returned by this server");
        }
        if (body.path("logit_bias").size() > 0) throw ApiError.invalid("logit_bias", "'logit_bias' is not supported by this server");
        if (body.hasNonNull("response_format") && !"text".equals(body.get("response_format").path("type").asText())) {
            throw ApiError.invalid("response_format", "only the text response format is supported");
        }
        List<Map<String, Object>> messages = messages(body.get("messages"), images);
        String tokensField = body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        Integer maxTokens = body.hasNonNull(tokensField) ? integer(body, tokensField, 1, Integer.MAX_VALUE) : null;
        Long seed = body.hasNonNull("seed") ? wholeNumber(body, "seed") : null;
        boolean stream = bool(body, "stream");
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) throw ApiError.invalid("stream_options", "'stream_options' must be an object");
        boolean includeUsage = options != null && bool(options, "include_usage");
        return new ChatCompletionRequest(model, messages, number(body, "temperature", 0, 2, 1), topP(body), seed,
                maxTokens, stop(body.get("stop")), stream, includeUsage);
    }

    private static List<Map<String, Object>> messages(JsonNode messages, ChatImages images) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalid("messages", "'messages' must be a non-empty array");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode message = messages.get(i);
            if (!message.isObject()) throw ApiError.invalid(param, param + " must be an object");
            String role = message.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw ApiError.invalid(param + ".role", param + ".role must be one of " + ROLES + ", not '" + role + "'");
            }
            Map<String, Object> rendered = new LinkedHashMap<>();
            rendered.put("role", role.equals("developer") ? "system" : role);
            rendered.put("content", content(message.get("content"), param + ".content", images));
            out.add(rendered);
        }
        return out;
    }

    /** A message's parts; an image part becomes {@code {"type": "image"}} and its file joins {@code images}. */
    private static List<Map<String, Object>> content(JsonNode content, String param, ChatImages images) {
        if (content != null && content.isTextual()) return List.of(textPart(content.asText(), param));
        if (content == null || !content.isArray()) throw ApiError.invalid(param, param + " must be a string or an array of parts");
        List<Map<String, Object>> parts = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            String partParam = param + "[" + j + "]";
            JsonNode part = content.get(j);
            String type = part.path("type").asText("");
            switch (type) {
                case "text" -> {
                    if (!part.path("text").isTextual()) throw ApiError.invalid(partParam + ".text", partParam + ".text must be a string");
                    parts.add(textPart(part.get("text").asText(), partParam));
                }
                case "image_url" -> {
                    JsonNode url = part.path("image_url");
                    if (url.isObject()) url = url.path("url");
                    if (!url.isTextual()) throw ApiError.invalid(partParam + ".image_url", partParam + ".image_url.url must be a string");
                    images.add(url.asText(), partParam + ".image_url");
                    parts.add(Map.of("type", "image"));
                }
                default -> throw ApiError.invalid(partParam + ".type", partParam + ".type must be 'text' or 'image_url', not '" + type + "'");
            }
        }
        return parts;
    }

    /** A text part; its text may not place images itself (only image parts do). */
    private static Map<String, Object> textPart(String text, String param) {
        if (text.contains(Context.IMAGE_PLACEHOLDER)) {
            throw ApiError.invalid(param, "text may not contain " + Context.IMAGE_PLACEHOLDER + "; send images as image_url parts");
        }
        return Map.of("type", "text", "text", text);
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) return List.of();
        List<String> out = new ArrayList<>();
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else if (stop.isArray() && stop.size() <= MAX_STOPS) {
            for (JsonNode s : stop) {
                if (!s.isTextual()) throw ApiError.invalid("stop", "'stop' must be a string or a list of up to 4 strings");
                out.add(s.asText());
            }
        } else {
            throw ApiError.invalid("stop", "'stop' must be a string or a list of up to 4 strings");
        }
        if (out.stream().anyMatch(String::isEmpty)) throw ApiError.invalid("stop", "a stop string must not be empty");
        return out;
    }

    private static double topP(JsonNode body) {
        double topP = number(body, "top_p", 0, 1, 1);
        if (topP == 0) throw ApiError.invalid("top_p", "'top_p' must be in (0, 1]");
        return topP;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) throw ApiError.invalid(field, "'" + field + "' must be a string");
        return node.asText();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return false;
        if (!node.isBoolean()) throw ApiError.invalid(field, "'" + field + "' must be true or false");
        return node.asBoolean();
    }

    private static double number(JsonNode body, String field, double min, double max, double absent) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return absent;
        if (!node.isNumber() || node.asDouble() < min || node.asDouble() > max) {
            throw ApiError.invalid(field, "'" + field + "' must be a number in [" + min + ", " + max + "]");
        }
        return node.asDouble();
    }

    private static long wholeNumber(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) throw ApiError.invalid(field, "'" + field + "' must be an integer");
        return node.asLong();
    }

    private static int integer(JsonNode body, String field, int min, int max) {
        JsonNode node = body.get(field);
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw ApiError.invalid(field, "'" + field + "' must be an integer ≥ " + min);
        }
        return node.asInt();
    }
}
