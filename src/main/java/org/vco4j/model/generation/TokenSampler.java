package org.vco4j.model.generation;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits: arg-max, or temperature + top-p sampling from a seeded
 * generator. Done in Java on the copied row, so results do not depend on libtorch's global generator.
 * One token can be ruled out: the image token, which marks a slot for image features and is not text (fed back
 * as input it would ask for features that do not exist).
 */
final class TokenSampler {
    private final GenerationConfig config;
    private final SplittableRandom random;
    private final int excluded;

    /** @param excluded a token id never picked (the image token), or -1 */
    TokenSampler(GenerationConfig config, int excluded) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.excluded = excluded;
    }

    /** The next token; {@code logits} (a copy the caller owns) loses the excluded token's value. */
    int next(float[] logits) {
        if (excluded >= 0 && excluded < logits.length) logits[excluded] = Float.NEGATIVE_INFINITY;
        if (config.isGreedy()) return argMax(logits);
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] probabilities = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Math.exp((logits[i] - max) / config.temperature());
            total += probabilities[i];
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparingInt(i -> i));
        // Keep the most likely tokens until their mass reaches top-p (at least one token).
        double kept = 0;
        int cut = 0;
        while (cut < order.length && (cut == 0 || kept < config.topP() * total)) kept += probabilities[order[cut++]];
        double draw = random.nextDouble() * kept;
        for (int k = 0; k < cut; k++) {
            draw -= probabilities[order[k]];
            if (draw <= 0) return order[k];
        }
        return order[cut - 1];
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }
}
