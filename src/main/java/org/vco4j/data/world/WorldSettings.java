package org.vco4j.data.world;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.vco4j.common.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a world was generated, stored as {@code world.json} in its folder: the seed, the image count and size,
 * the language-prior strength and the split, and the prior itself — each shape's typical colour and the
 * typical count of a shape in a scene.
 *
 * <p>{@code prior} is the probability that an object takes its shape's typical colour (the other colours share
 * the rest evenly) and that a shape appears {@code typical_count} times in a scene (otherwise 2–4 times, as far
 * as the four-object limit allows).
 */
public record WorldSettings(@JsonProperty("seed") long seed, @JsonProperty("images") int images,
                            @JsonProperty("image_size") int imageSize, @JsonProperty("prior") double prior,
                            @JsonProperty("eval_fraction") double evalFraction,
                            @JsonProperty("typical_colors") Map<String, String> typicalColors,
                            @JsonProperty("typical_count") String typicalCount) {
    public static final String FILE_NAME = "world.json";
    /** Below this the largest objects no longer fit two to a half. */
    public static final int MIN_IMAGE_SIZE = 32;
    /** Every shape has a different typical colour, so a colour alone also hints at a shape. */
    public static final Map<String, String> DEFAULT_TYPICAL_COLORS = defaultTypicalColors();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public WorldSettings {
        if (images < 1) throw new IllegalArgumentException("images must be ≥ 1, got " + images);
        if (imageSize < MIN_IMAGE_SIZE) {
            throw new IllegalArgumentException("image_size must be ≥ " + MIN_IMAGE_SIZE + ", got " + imageSize);
        }
        if (imageSize % 2 != 0) throw new IllegalArgumentException("image_size must be even (left and right halves), got " + imageSize);
        if (!(prior >= 0 && prior <= 1)) throw new IllegalArgumentException("prior must be in [0, 1], got " + prior);
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("eval_fraction must be in [0, 1), got " + evalFraction);
        }
        typicalColors = Map.copyOf(typicalColors);
        for (String shape : WorldVocabulary.SHAPES) {
            if (!typicalColors.containsKey(shape)) throw new IllegalArgumentException("typical_colors: no colour for " + shape);
            WorldVocabulary.require("typical colour of " + shape, typicalColors.get(shape), WorldVocabulary.COLORS);
        }
        WorldVocabulary.require("typical_count", typicalCount, WorldVocabulary.COUNTS);
    }

    /** The default prior (typical colours above, typical count "one") with the given knobs. */
    public static WorldSettings of(long seed, int images, int imageSize, double prior, double evalFraction) {
        return new WorldSettings(seed, images, imageSize, prior, evalFraction, DEFAULT_TYPICAL_COLORS, "one");
    }

    /** The typical colour of {@code shape}. */
    public String typicalColor(String shape) {
        return typicalColors.get(shape);
    }

    /** The typical count as a number. */
    public int typicalCountValue() {
        return WorldVocabulary.COUNTS.indexOf(typicalCount) + 1;
    }

    public static WorldSettings read(Path worldFolder) throws IOException {
        Path file = worldFolder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": not found (is " + worldFolder + " a world folder?)");
        try {
            return JSON.readValue(file.toFile(), WorldSettings.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Writes atomically (temporary file, then rename), keys in a stable order. */
    public void write(Path worldFolder) throws IOException {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("seed", seed);
        ordered.put("images", images);
        ordered.put("image_size", imageSize);
        ordered.put("prior", prior);
        ordered.put("eval_fraction", evalFraction);
        Map<String, String> colors = new LinkedHashMap<>();
        for (String shape : WorldVocabulary.SHAPES) colors.put(shape, typicalColors.get(shape));
        ordered.put("typical_colors", colors);
        ordered.put("typical_count", typicalCount);
        Path file = worldFolder.resolve(FILE_NAME);
        AtomicFiles.write(file, (JSON.writeValueAsString(ordered) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> defaultTypicalColors() {
        List<String> colors = List.of("red", "blue", "green", "yellow", "purple", "orange");
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < WorldVocabulary.SHAPES.size(); i++) map.put(WorldVocabulary.SHAPES.get(i), colors.get(i));
        return map;
    }
}
