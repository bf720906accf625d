package org.vco4j.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Binds config.json trees to config classes without Jackson's lenient coercions: {@code 64.5} or {@code 2e9} is
 * not an integer, {@code "64"} is not a number, {@code null} is not an int. Failures name the key as a dotted
 * path and the value found.
 */
public final class ConfigJson {
    private ConfigJson() {}

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** The tree as {@code type}; {@link IllegalArgumentException} naming the key and value when it does not fit. */
    public static <T> T read(JsonNode tree, Class<T> type) {
        try {
            return STRICT.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            String key = path(e);
            JsonNode value = at(tree, e);
            String expected = e instanceof MismatchedInputException m && m.getTargetType() != null
                    ? describe(m.getTargetType())
                    : String.valueOf(e.getOriginalMessage()).contains("out of range of int") ? "an integer (at most 2147483647)" : null;
            if (key.isEmpty()) throw new IllegalArgumentException(e.getOriginalMessage(), e);
            throw new IllegalArgumentException(key + (expected == null ? " is invalid" : " must be " + expected)
                    + ", got " + (value == null ? "?" : value.toString()), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (out.length() > 0) out.append('.');
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static JsonNode at(JsonNode tree, JsonMappingException e) {
        JsonNode node = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null) return null;
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return node;
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (java.util.List.class.isAssignableFrom(type)) return "a list";
        return "an object";
    }
}
