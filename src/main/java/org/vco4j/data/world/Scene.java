package org.vco4j.data.world;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Ground truth of one synthetic image: its file (relative to the world folder), whether it belongs to the
 * training or the evaluation half of the world, and its objects.
 */
public record Scene(@JsonProperty("id") String id, @JsonProperty("image") String image,
                    @JsonProperty("split") String split, @JsonProperty("objects") List<SceneObject> objects) {
    public Scene {
        objects = List.copyOf(objects);
        if (!split.equals("train") && !split.equals("eval")) {
            throw new IllegalArgumentException("scene " + id + ": split must be train or eval, got '" + split + "'");
        }
        if (objects.isEmpty()) throw new IllegalArgumentException("scene " + id + ": a scene has at least one object");
    }

    /** Objects with this shape. */
    public List<SceneObject> withShape(String shape) {
        return objects.stream().filter(o -> o.shape().equals(shape)).toList();
    }

    /** True when some object has this shape and colour. */
    public boolean contains(String color, String shape) {
        return objects.stream().anyMatch(o -> o.shape().equals(shape) && o.color().equals(color));
    }

    /** True when some object has this shape. */
    public boolean containsShape(String shape) {
        return objects.stream().anyMatch(o -> o.shape().equals(shape));
    }
}
