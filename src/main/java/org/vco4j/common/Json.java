package org.vco4j.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The project's shared JSON mapper (Jackson, thread-safe once configured) and the two ways it is used
 * everywhere: compact lines (JSONL records) and indented documents (config.json, reports). Readers that need
 * more than this (safetensors headers with their size limits, PEFT's Python-style output) configure their own
 * and say why.
 */
public final class Json {
    /** Plain mapper: compact output, Jackson's default leniency. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Writes indented documents, as {@code json.dump(indent=2)}-style files people open and read. */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();
    /**
     * Reads one JSON value strictly: a repeated key is an error (Jackson would keep the last and silently
     * drop a field) and so is anything but whitespace after the value.
     */
    public static final ObjectReader STRICT = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /** How a JSON value is named in error messages: "a list", "an object", "a string", "a number", "null", ... */
    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
