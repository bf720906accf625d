package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * One record of a published dataset file (a JSON object), with accessors that fail with one line naming the file,
 * the record and the field, as {@code data.json: record 12: field "chosen": must be a string, got a number}.
 * A JSON null reads as an absent field, as Python writers emit None for unset values.
 *
 * @param node     the record's object
 * @param location the file and the record, e.g. {@code train.jsonl: line 7} or {@code seva.json: record 3}
 * @param ordinal  the record's 0-based position in the file, which the imported sample's id uses
 */
public record SourceRecord(JsonNode node, String location, long ordinal) {
    /** An error message about {@code field} of this record. */
    public IllegalArgumentException error(String field, String problem) {
        return new IllegalArgumentException(location + ": field \"" + field + "\": " + problem);
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    /** The value at {@code field}, which must be present. */
    public JsonNode required(String field) {
        if (!has(field)) throw new IllegalArgumentException(location + ": missing field \"" + field + "\"");
        return node.get(field);
    }

    /** A required string field; it may be empty (readers decide what an empty text means). */
    public String text(String field) {
        return text(required(field), field);
    }

    /** A string field, or null when absent. */
    public String optionalText(String field) {
        return has(field) ? text(node.get(field), field) : null;
    }

    /** {@code value} as a string, or an error naming {@code field}. */
    public String text(JsonNode value, String field) {
        if (!value.isTextual()) throw error(field, "must be a string, got " + Json.kind(value));
        return value.asText();
    }

    /** A required list field. */
    public List<JsonNode> list(String field) {
        JsonNode value = required(field);
        if (!value.isArray()) throw error(field, "must be a list, got " + Json.kind(value));
        List<JsonNode> out = new ArrayList<>();
        value.forEach(out::add);
        return out;
    }

    /**
     * The value at a dotted path such as {@code conversations.0.value} (a number indexes a list), or null when
     * any step is missing.
     */
    public JsonNode at(String path) {
        JsonNode value = node;
        for (String step : path.split("\\.")) {
            if (value == null || value.isNull()) return null;
            value = value.isArray() && step.chars().allMatch(Character::isDigit) ? value.get(Integer.parseInt(step)) : value.get(step);
        }
        return value == null || value.isNull() ? null : value;
    }
}
