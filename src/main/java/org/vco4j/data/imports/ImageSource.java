package org.vco4j.data.imports;

import org.vco4j.common.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Base64;

/**
 * Where a record's image comes from: a path (relative to the images folder, or absolute) or bytes embedded in
 * the record. Hugging Face datasets store an image as {@code {"bytes": ..., "path": ...}} (bytes win when both
 * are set, as {@code datasets.Image} decodes them); in JSON the bytes are base64 text.
 *
 * @param path  the image file's path as the record spells it, or null
 * @param bytes the encoded image file, or null
 * @param field the record's field that named the image, for messages
 */
public record ImageSource(String path, byte[] bytes, String field) {
    /**
     * Reads an image value: a path string, a {@code {"bytes", "path"}} object, or a list holding exactly one of
     * these (TRL's {@code images} column with its single image).
     */
    public static ImageSource of(SourceRecord record, JsonNode value, String field) {
        if (value.isArray()) {
            if (value.size() != 1) {
                throw record.error(field, "holds " + value.size() + " images; vco4j's samples take one image per side");
            }
            return of(record, value.get(0), field + "[0]");
        }
        if (value.isTextual()) {
            if (value.asText().isBlank()) throw record.error(field, "empty image path");
            return new ImageSource(value.asText(), null, field);
        }
        if (value.isObject()) {
            JsonNode bytes = value.get("bytes");
            if (bytes != null && !bytes.isNull()) return new ImageSource(null, decode(record, bytes, field + ".bytes"), field);
            JsonNode path = value.get("path");
            if (path != null && path.isTextual() && !path.asText().isBlank()) return new ImageSource(path.asText(), null, field);
            throw record.error(field, "an image object needs \"bytes\" or \"path\"");
        }
        throw record.error(field, "must be an image path or an object with \"bytes\" or \"path\", got " + Json.kind(value));
    }

    /** The image named by the required {@code field} of {@code record}. */
    public static ImageSource of(SourceRecord record, String field) {
        return of(record, record.required(field), field);
    }

    private static byte[] decode(SourceRecord record, JsonNode bytes, String field) {
        try {
            if (bytes.isBinary()) return bytes.binaryValue();
            if (bytes.isTextual()) return Base64.getDecoder().decode(bytes.asText());
        } catch (IOException | IllegalArgumentException e) {
            throw record.error(field, "not base64-encoded image bytes (" + e.getMessage() + ")");
        }
        throw record.error(field, "must be base64 text, got " + Json.kind(bytes));
    }

    @Override
    public String toString() {
        return path != null ? path : "<" + bytes.length + " embedded bytes>";
    }
}
