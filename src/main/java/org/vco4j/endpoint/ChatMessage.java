package org.vco4j.endpoint;

import java.util.List;

/**
 * One message of a chat-completions request: {@code role} is "system", "user" or "assistant". A message with
 * {@code parts} is sent as OpenAI's content parts (text and {@code image_url} in order); otherwise {@code content}
 * is sent as a plain string.
 */
public record ChatMessage(String role, String content, List<Part> parts) {
    public ChatMessage {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of());
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /** A user message of text and image parts, in order. */
    public static ChatMessage user(List<Part> parts) {
        return new ChatMessage("user", null, parts);
    }

    /** A content part: text, or an image by URL (a data URL for local files). */
    public record Part(String type, String value) {
        public static Part text(String text) {
            return new Part("text", text);
        }

        public static Part imageUrl(String url) {
            return new Part("image_url", url);
        }
    }
}
