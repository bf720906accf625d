package org.vco4j.request;

/**
 * One sequence log-probability an objective needs per sample: a response under a condition, summed over
 * all of the response's tokens or, when {@code masked}, over the tokens the sample's token mask selects
 * (IC-VCO's edited-evidence tokens).
 *
 * <p>Requests are plain values, so a trainer can group the requests of a batch that share a condition
 * and score them with one shared prefix. Their names follow the notation of OBJECTIVES.md in ASCII:
 *
 * <pre>
 *   response '|' condition ['[mask]']
 *   response  : y | y' | y_l | y_l2 | y_l3 ...
 *   condition : m | m' | none | m_crop | M,x^ | M,x^'
 *   examples  : y|m   y'|m   y|none   y|m_crop   y|M,x^   y'|M,x^'   y|m[mask]   y_l2|m
 * </pre>
 *
 * @param response  which response is scored
 * @param condition what it is conditioned on
 * @param masked    true when the sum runs over the token mask only
 */
public record Request(Response response, Condition condition, boolean masked) {
    private static final String MASK_SUFFIX = "[mask]";

    public Request {
        if (response == null || condition == null) {
            throw new IllegalArgumentException("response and condition are required");
        }
    }

    /** The response summed over all its tokens. */
    public static Request of(Response response, Condition condition) {
        return new Request(response, condition, false);
    }

    /** The response summed over the tokens its token mask selects. */
    public static Request masked(Response response, Condition condition) {
        return new Request(response, condition, true);
    }

    /** The request named {@code name}, e.g. {@code y'|M,x^'} or {@code y|m[mask]}. */
    public static Request parse(String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException(
                    "request name '" + name + "' must read response|condition, e.g. y|m or y'|M,x^'");
        }
        boolean masked = name.endsWith(MASK_SUFFIX);
        String condition = name.substring(bar + 1, name.length() - (masked ? MASK_SUFFIX.length() : 0));
        try {
            return new Request(Response.fromSymbol(name.substring(0, bar)), Condition.fromSymbol(condition), masked);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("request name '" + name + "': " + e.getMessage(), e);
        }
    }

    /** The ASCII name, e.g. {@code y|M,x^} or {@code y'|m[mask]}. */
    public String name() {
        return response.symbol() + "|" + condition.symbol() + (masked ? MASK_SUFFIX : "");
    }

    @Override
    public String toString() {
        return name();
    }
}
