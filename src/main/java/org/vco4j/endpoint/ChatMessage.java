package org.vco4j.endpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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

        /** An image file as a data URL part, its type from its leading bytes. */
        public static Part imageFile(Path image) throws IOException {
            return imageUrl(dataUrl(Files.readAllBytes(image), image.toString()));
        }

        /** Encoded image bytes (PNG, JPEG, GIF or BMP) as a data URL; {@code name} names them in the error. */
        public static String dataUrl(byte[] bytes, String name) {
            String type;
            if (bytes.length > 3 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') type = "image/png";
            else if (bytes.length > 2 && (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8) type = "image/jpeg";
            else if (bytes.length > 3 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F') type = "image/gif";
            else if (bytes.length > 1 && bytes[0] == 'B' && bytes[1] == 'M') type = "image/bmp";
            else throw new IllegalArgumentException(name + ": not a PNG, JPEG, GIF or BMP file, which an endpoint could take");
            return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
        }
    }
}
