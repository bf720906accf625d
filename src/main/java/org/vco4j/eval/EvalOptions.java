package org.vco4j.eval;

/**
 * Settings shared by the benchmarks.
 *
 * @param split         which scenes of the world are evaluated ("eval" or "train")
 * @param limit         at most this many scenes (or contrast pairs), in file order; 0 = all
 * @param seed          every sampled choice (absent objects, contrast colours, mismatching images) derives from it
 * @param batchSize     scored requests per forward pass
 * @param maxNewTokens  caption length limit for generation
 */
public record EvalOptions(String split, int limit, long seed, int batchSize, int maxNewTokens) {
    public EvalOptions {
        if (!split.equals("eval") && !split.equals("train")) throw new IllegalArgumentException("split must be eval or train, got '" + split + "'");
        if (limit < 0) throw new IllegalArgumentException("limit must be ≥ 0 (0 = all), got " + limit);
        if (batchSize < 1) throw new IllegalArgumentException("batch_size must be ≥ 1, got " + batchSize);
        if (maxNewTokens < 1) throw new IllegalArgumentException("max_new_tokens must be ≥ 1, got " + maxNewTokens);
    }

    /**
     * The default caption limit: the world's longest caption (four groups of seven words, two commas, "and", the
     * full stop and "There is") is 34 tokens, and a caption cut short would not parse as fluent.
     */
    public static final int DEFAULT_MAX_NEW_TOKENS = 40;

    public static EvalOptions defaults() {
        return new EvalOptions("eval", 0, 0, 16, DEFAULT_MAX_NEW_TOKENS);
    }

    public EvalOptions withLimit(int newLimit) {
        return new EvalOptions(split, newLimit, seed, batchSize, maxNewTokens);
    }

    public EvalOptions withSeed(long newSeed) {
        return new EvalOptions(split, limit, newSeed, batchSize, maxNewTokens);
    }
}
