package org.vco4j.model;

/**
 * Checks of config.json numbers, each failing with an {@link IllegalArgumentException} that names the key as a
 * dotted path ({@code text_config.num_attention_heads}); {@link PretrainedVlm#load} puts the file in front. The
 * upper bounds are far above any published model and exist so that a typo fails here, not in native code.
 */
public final class ConfigValues {
    private ConfigValues() {}

    /** Largest vocabulary accepted (4 Mi tokens; the largest published ones are about 256 Ki). */
    public static final int MAX_VOCAB_SIZE = 1 << 22;
    /** Largest model width accepted (published models stay at or below 16 Ki). */
    public static final int MAX_HIDDEN_SIZE = 1 << 16;
    /** Largest MLP width accepted. */
    public static final int MAX_INTERMEDIATE_SIZE = 1 << 18;
    /** Most layers accepted (published models stay below 200). */
    public static final int MAX_LAYERS = 1024;
    /** Most attention heads accepted. */
    public static final int MAX_HEADS = 4096;
    /** Longest context accepted (16 Mi positions). */
    public static final int MAX_POSITIONS = 1 << 24;
    /** Largest image side accepted, in pixels. */
    public static final int MAX_IMAGE_SIZE = 1 << 14;

    /** {@code min ≤ value ≤ max}. */
    public static int range(String key, int value, int min, int max) {
        if (value < min) throw new IllegalArgumentException(key + " must be >= " + min + ", got " + value);
        if (value > max) throw new IllegalArgumentException(key + " must be <= " + max + ", got " + value);
        return value;
    }

    /** A finite number strictly between {@code low} and {@code high}. */
    public static double openRange(String key, double value, double low, double high) {
        if (!Double.isFinite(value) || !(value > low) || !(value < high)) {
            throw new IllegalArgumentException(key + " must be a finite number above " + low
                    + (Double.isInfinite(high) ? "" : " and below " + high) + ", got " + value);
        }
        return value;
    }

    /** A token id inside the vocabulary, when given. */
    public static void tokenId(String key, Integer id, int vocabSize, String vocabKey) {
        if (id == null) return;
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(key + " must be a token id in [0, " + vocabSize + ") (" + vocabKey
                    + "), got " + id);
        }
    }

    /** {@code value} is a multiple of {@code divisor} (both already checked to be ≥ 1). */
    public static void divisible(String key, int value, String divisorKey, int divisor) {
        if (value % divisor != 0) {
            throw new IllegalArgumentException(key + " (" + value + ") must be divisible by " + divisorKey + " (" + divisor + ")");
        }
    }

    /** A string setting that must be present. */
    public static String required(String key, String value) {
        if (value == null) throw new IllegalArgumentException(key + " must be set (it is null)");
        return value;
    }
}
