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
 * the language-prior strength and the split, and the prior itself — each shape's typical colour, the
 * typical count of a shape in a scene, and each shape's typical companion.
 *
 * <p>{@code prior} is the probability that an object takes its shape's typical colour (the other colours share
 * the rest evenly) and that a shape appears {@code typical_count} times in a scene (otherwise 2–4 times, as far
 * as the four-object limit allows). {@code cooccurrence} is the probability that a scene's next shape is the
 * companion ({@code typical_companions}) of the shape before it, when that one is not yet in the scene (otherwise
 * any shape not yet there); 0, as in a {@code world.json} written before the co-occurrence prior existed, means
 * shapes are drawn without regard to each other.
 */
public record WorldSettings(@JsonProperty("seed") long seed, @JsonProperty("images") int images,
                            @JsonProperty("image_size") int imageSize, @JsonProperty("prior") double prior,
                            @JsonProperty("eval_fraction") double evalFraction,
                            @JsonProperty("typical_colors") Map<String, String> typicalColors,
                            @JsonProperty("typical_count") String typicalCount,
                            @JsonProperty("cooccurrence") double cooccurrence,
                            @JsonProperty("typical_companions") Map<String, String> typicalCompanions) {
    public static final String FILE_NAME = "world.json";
    /** Below this the largest objects no longer fit two to a half. */
    public static final int MIN_IMAGE_SIZE = 32;
    /** Every shape has a different typical colour, so a colour alone also hints at a shape. */
    public static final Map<String, String> DEFAULT_TYPICAL_COLORS = defaultTypicalColors();
    /** Shapes in pairs that usually appear together: circle and square, triangle and star, heart and cross. */
    public static final Map<String, String> DEFAULT_TYPICAL_COMPANIONS = Map.of("circle", "square", "square", "circle",
            "triangle", "star", "star", "triangle", "heart", "cross", "cross", "heart");
    /** The default strength of the co-occurrence prior. */
    public static final double DEFAULT_COOCCURRENCE = 0.8;

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
        if (!(cooccurrence >= 0 && cooccurrence <= 1)) throw new IllegalArgumentException("cooccurrence must be in [0, 1], got " + cooccurrence);
        if (typicalCompanions == null) {
            if (cooccurrence > 0) throw new IllegalArgumentException("typical_companions: needed when cooccurrence > 0");
            typicalCompanions = Map.of();
        } else {
            typicalCompanions = Map.copyOf(typicalCompanions);
            for (String shape : WorldVocabulary.SHAPES) {
                String companion = typicalCompanions.get(shape);
                if (companion == null) throw new IllegalArgumentException("typical_companions: no companion for " + shape);
                WorldVocabulary.require("typical companion of " + shape, companion, WorldVocabulary.SHAPES);
                if (companion.equals(shape)) throw new IllegalArgumentException("typical_companions: " + shape + " cannot be its own companion");
            }
        }
    }

    /** The default prior (typical colours and companions above, typical count "one") with the given knobs. */
    public static WorldSettings of(long seed, int images, int imageSize, double prior, double evalFraction) {
        return of(seed, images, imageSize, prior, evalFraction, DEFAULT_COOCCURRENCE);
    }

    /** As {@link #of(long, int, int, double, double)}, with the co-occurrence prior's strength. */
    public static WorldSettings of(long seed, int images, int imageSize, double prior, double evalFraction, double cooccurrence) {
        return new WorldSettings(seed, images, imageSize, prior, evalFraction, DEFAULT_TYPICAL_COLORS, "one", cooccurrence,
                DEFAULT_TYPICAL_COMPANIONS);
    }

    /** The shape that usually appears with {@code shape}, or null when the world has no co-occurrence prior. */
    public String typicalCompanion(String shape) {
        return typicalCompanions.get(shape);
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
        ordered.put("cooccurrence", cooccurrence);
        Map<String, String> companions = new LinkedHashMap<>();
        for (String shape : WorldVocabulary.SHAPES) if (typicalCompanions.containsKey(shape)) companions.put(shape, typicalCompanions.get(shape));
        ordered.put("typical_companions", companions);
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
