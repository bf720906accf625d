package org.vco4j.model.generation;

/**
 * Decoding settings. Temperature 0 means greedy; otherwise tokens are sampled from the softmax at that
 * temperature, restricted to the smallest set whose probability reaches {@code topP} (nucleus sampling).
 * The same seed gives the same text.
 */
public record GenerationConfig(int maxNewTokens, double temperature, double topP, long seed) {
    public GenerationConfig {
        if (maxNewTokens < 1) throw new IllegalArgumentException("max_new_tokens must be ≥ 1, got " + maxNewTokens);
        if (temperature < 0 || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number ≥ 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
    }

    public static GenerationConfig greedy(int maxNewTokens) {
        return new GenerationConfig(maxNewTokens, 0, 1, 0);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
