package org.vco4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes benchmark results as one JSON document: the run's settings, then per benchmark its metrics (undefined
 * ones as null) and details. The file appears complete or not at all (temporary file, then atomic rename).
 */
public final class EvalResultFile {
    // Detail fields in snake_case like every other file the project writes (input_ids, response_positions).
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private EvalResultFile() {}

    /** {@code {...settings, "results": [{"benchmark", "metrics", "details"}, ...]}}. */
    public static ObjectNode toJson(Map<String, Object> settings, List<EvalResult> results) {
        ObjectNode root = JSON.createObjectNode();
        settings.forEach((key, value) -> root.set(key, JSON.valueToTree(value)));
        ArrayNode array = root.putArray("results");
        for (EvalResult result : results) {
            ObjectNode node = array.addObject();
            node.put("benchmark", result.benchmark());
            ObjectNode metrics = node.putObject("metrics");
            result.metrics().forEach((name, value) -> {
                if (value.isNaN() || value.isInfinite()) metrics.putNull(name);
                else metrics.put(name, value);
            });
            node.set("details", JSON.valueToTree(result.details()));
        }
        return root;
    }

    public static void write(Path file, Map<String, Object> settings, List<EvalResult> results) throws IOException {
        byte[] bytes = JSON.writeValueAsString(toJson(settings, results)).concat("\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file.toAbsolutePath(), bytes);
    }
}
