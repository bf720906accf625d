package org.vco4j.score;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vco4j.common.Json;
import org.vco4j.data.DataPaths;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the input of {@code vco score}: one JSON object per line,
 * {@code {"id", "images": [paths relative to the file], "prompt", "response", "mask": [[start, end], ...]}}
 * ({@code images} and {@code mask} optional). Every line is checked before anything is scored; an error
 * names the file, the line and the field.
 */
public final class ScoreFile {
    private static final Set<String> FIELDS = Set.of("id", "images", "prompt", "response", "mask");
    private static final ObjectMapper JSON = Json.MAPPER;

    private ScoreFile() {}

    public static List<ScoreRequest> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<ScoreRequest> requests = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String where = file + ":" + (i + 1);
            ScoreRequest request = parse(file, line, where, requests.size());
            if (!ids.add(request.id())) throw new IllegalArgumentException(where + ": field \"id\": duplicate id '" + request.id() + "'");
            requests.add(request);
        }
        if (requests.isEmpty()) throw new IllegalArgumentException(file + ": no requests (the file is empty)");
        return requests;
    }

    private static ScoreRequest parse(Path file, String line, String where, int index) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object");
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + name + "\" (known: " + FIELDS + ")");
            }
        });
        String id = node.has("id") ? text(node, "id", where) : "line-" + (index + 1);
        String prompt = text(node, "prompt", where);
        String response = text(node, "response", where);
        List<Path> images = new ArrayList<>();
        JsonNode imageNode = node.path("images");
        if (!imageNode.isMissingNode()) {
            if (!imageNode.isArray()) throw new IllegalArgumentException(where + ": field \"images\" must be a list of paths");
            for (int k = 0; k < imageNode.size(); k++) {
                JsonNode entry = imageNode.get(k);
                String fieldWhere = where + ": field \"images\"[" + k + "]";
                if (!entry.isTextual()) throw new IllegalArgumentException(fieldWhere + " must be a string");
                Path image = DataPaths.resolveImage(file, entry.asText(), fieldWhere);
                if (!Files.isRegularFile(image)) throw new IllegalArgumentException(fieldWhere + ": no such image file " + image);
                images.add(image);
            }
        }
        List<int[]> mask = null;
        JsonNode maskNode = node.path("mask");
        if (!maskNode.isMissingNode() && !maskNode.isNull()) {
            mask = new ArrayList<>();
            if (!maskNode.isArray()) throw new IllegalArgumentException(where + ": field \"mask\" must be a list of [start, end] pairs");
            for (int k = 0; k < maskNode.size(); k++) {
                JsonNode span = maskNode.get(k);
                String spanWhere = where + ": field \"mask\"[" + k + "]";
                if (!span.isArray() || span.size() != 2 || !span.get(0).canConvertToInt() || !span.get(1).canConvertToInt()) {
                    throw new IllegalArgumentException(spanWhere + " must be [start, end] character offsets");
                }
                int start = span.get(0).asInt();
                int end = span.get(1).asInt();
                if (start < 0 || end <= start || end > response.length()) {
                    throw new IllegalArgumentException(spanWhere + " = [" + start + ", " + end + "] is not a non-empty span of the "
                            + response.length() + "-character response");
                }
                mask.add(new int[] {start, end});
            }
        }
        return new ScoreRequest(id, new Context(images, prompt), response, mask);
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) throw new IllegalArgumentException(where + ": missing field \"" + field + "\"");
        if (!value.isTextual()) throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a string");
        return value.asText();
    }
}
