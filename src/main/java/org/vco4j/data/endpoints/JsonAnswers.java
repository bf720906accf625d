package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks a chat endpoint for one JSON object and reads it strictly: the reply must be exactly one JSON object (a
 * Markdown code fence around it is allowed, nothing else), with no duplicate keys, and must pass the caller's check.
 * A reply that fails is answered with the problem and the request asked again, up to {@code attempts} times; then
 * the record fails at that stage. Every reply's tokens are added to the run's usage.
 */
final class JsonAnswers {
    /** Checks a parsed answer; throws IllegalArgumentException naming the field and the problem. */
    interface Check<T> {
        T read(JsonNode answer);
    }

    private JsonAnswers() {}

    static <T> T ask(ChatClient client, List<ChatMessage> conversation, double temperature, int attempts, String stage,
                     UsageTally usage, Check<T> check) throws IOException, StageFailure {
        List<ChatMessage> messages = new ArrayList<>(conversation);
        String problem = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            ChatClient.Reply reply = client.reply(messages, temperature, 1.0, client.settings().maxTokens(), null);
            usage.add(stage, reply);
            try {
                return check.read(parse(reply.content()));
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
                messages.add(new ChatMessage("assistant", reply.content()));
                messages.add(ChatMessage.user("That answer cannot be used: " + problem
                        + ". Answer again with only the JSON object described above."));
            }
        }
        throw new StageFailure(stage, "no valid answer in " + attempts + " tries; last: " + problem);
    }

    /** The one JSON object of a reply. */
    static JsonNode parse(String reply) {
        String text = reply.strip();
        if (text.startsWith("```")) {
            int firstLine = text.indexOf('\n');
            if (firstLine < 0 || !text.endsWith("```")) throw new IllegalArgumentException("an unclosed code fence");
            text = text.substring(firstLine + 1, text.length() - 3).strip();
        }
        JsonNode node;
        try {
            node = Json.STRICT.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not one JSON object (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("not one JSON object (" + e.getMessage() + ")");
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException("not a JSON object but " + (node == null ? "nothing" : Json.kind(node)));
        return node;
    }

    /** A required non-blank string field. */
    static String text(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || value.isNull()) throw new IllegalArgumentException("field \"" + field + "\" is missing");
        if (!value.isTextual()) throw new IllegalArgumentException("field \"" + field + "\" must be a string, got " + Json.kind(value));
        if (value.asText().isBlank()) throw new IllegalArgumentException("field \"" + field + "\" is empty");
        return value.asText().strip();
    }

    /** A required boolean field. */
    static boolean bool(JsonNode answer, String field) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be true or false, got " + (value == null ? "nothing" : Json.kind(value)));
        }
        return value.asBoolean();
    }

    /** A required string field with one of {@code allowed} values (compared ignoring case), returned as listed. */
    static String oneOf(JsonNode answer, String field, List<String> allowed) {
        String value = text(answer, field);
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) return a;
        }
        throw new IllegalArgumentException("field \"" + field + "\" must be one of " + allowed + ", got \"" + value + "\"");
    }

    /** A required integer field in {@code [min, max]}. */
    static int integer(JsonNode answer, String field, int min, int max) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an integer, got " + (value == null ? "nothing" : Json.kind(value)));
        }
        if (value.asInt() < min || value.asInt() > max) {
            throw new IllegalArgumentException("field \"" + field + "\" must be between " + min + " and " + max + ", got " + value.asInt());
        }
        return value.asInt();
    }
}
