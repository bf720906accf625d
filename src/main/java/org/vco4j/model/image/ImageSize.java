package org.vco4j.model.image;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A size entry of {@code preprocessor_config.json}: either {@code {"shortest_edge": N}} (scale so the
 * short side is N, keeping the aspect ratio) or {@code {"height": H, "width": W}} (exact size).
 */
public record ImageSize(Integer shortestEdge, Integer height, Integer width) {
    public ImageSize {
        if (shortestEdge != null) {
            if (height != null || width != null) {
                throw new IllegalArgumentException("a size is either shortest_edge or height and width, not both");
            }
            positive("shortest_edge", shortestEdge);
        } else {
            if (height == null || width == null) {
                throw new IllegalArgumentException("a size needs shortest_edge, or both height and width");
            }
            positive("height", height);
            positive("width", width);
        }
    }

    public static ImageSize shortestEdge(int n) {
        return new ImageSize(n, null, null);
    }

    public static ImageSize exact(int height, int width) {
        return new ImageSize(null, height, width);
    }

    public boolean isShortestEdge() {
        return shortestEdge != null;
    }

    /**
     * Parses the JSON forms transformers accepts. A bare integer means a shortest edge when
     * {@code intIsSquare} is false (the {@code size} key) and a square when true ({@code crop_size}),
     * like {@code get_size_dict(default_to_square=...)}.
     */
    static ImageSize fromJson(String key, JsonNode node, boolean intIsSquare) {
        if (node.isIntegralNumber()) {
            int n = node.intValue();
            return intIsSquare ? exact(n, n) : shortestEdge(n);
        }
        if (node.isObject()) {
            Integer shortest = intField(key, node, "shortest_edge");
            Integer h = intField(key, node, "height");
            Integer w = intField(key, node, "width");
            if (shortest != null && h == null && w == null) return shortestEdge(shortest);
            if (h != null && w != null) return exact(h, w);
            throw new IllegalArgumentException(key + " must hold shortest_edge, or height and width; got " + node);
        }
        throw new IllegalArgumentException(key + " must be an integer or an object, got " + node);
    }

    private static Integer intField(String key, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber()) throw new IllegalArgumentException(key + "." + field + " must be an integer, got " + v);
        return v.intValue();
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
    }

    /** The JSON object transformers writes. */
    @JsonValue
    public Map<String, Integer> toJson() {
        Map<String, Integer> m = new LinkedHashMap<>();
        if (shortestEdge != null) {
            m.put("shortest_edge", shortestEdge);
        } else {
            m.put("height", height);
            m.put("width", width);
        }
        return m;
    }
}
