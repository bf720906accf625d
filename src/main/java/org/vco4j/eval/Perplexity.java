package org.vco4j.eval;

/** Perplexity of a response from its summed log-probability: exp(−logp / tokens), the tokens the sum ran over. */
public final class Perplexity {
    private Perplexity() {}

    public static double of(double summedLogp, long tokens) {
        if (tokens < 1) throw new IllegalArgumentException("perplexity needs at least one token, got " + tokens);
        return Math.exp(-summedLogp / tokens);
    }
}
