package org.vco4j.request;

/**
 * Which of the sample's responses is scored.
 *
 * <ul>
 *   <li>{@link #Y} ({@code y}): the response true of the image {@code m}; a plain pair's chosen answer.</li>
 *   <li>{@link #Y_PRIME} ({@code y'}): the response true of the contrasting image {@code m'}.</li>
 *   <li>{@link #rejected(int) rejected(k)} ({@code y_l}, {@code y_l2}, {@code y_l3}, ...): the k-th rejected
 *       answer for {@code m} (a plain pair's rejected answer; SeVa's answers on augmented images).</li>
 * </ul>
 *
 * @param kind  the role of the response in the sample
 * @param index 0 for {@code y} and {@code y'}; 1, 2, ... for the rejected answers
 */
public record Response(Kind kind, int index) {
    /** The role of a response in a sample. */
    public enum Kind { Y, Y_PRIME, REJECTED }

    /** The response true of {@code m}. */
    public static final Response Y = new Response(Kind.Y, 0);
    /** The response true of {@code m'}. */
    public static final Response Y_PRIME = new Response(Kind.Y_PRIME, 0);
    /** The (first) rejected answer for {@code m}. */
    public static final Response REJECTED = rejected(1);

    public Response {
        if (kind == null) throw new IllegalArgumentException("response kind is required");
        if (kind == Kind.REJECTED ? index < 1 : index != 0) {
            throw new IllegalArgumentException("response " + kind + " cannot have index " + index
                    + " (rejected answers count from 1, y and y' have none)");
        }
    }

    /** The k-th rejected answer (k ≥ 1). */
    public static Response rejected(int k) {
        return new Response(Kind.REJECTED, k);
    }

    /** The ASCII symbol used in request names: {@code y}, {@code y'}, {@code y_l}, {@code y_l2}, ... */
    public String symbol() {
        return switch (kind) {
            case Y -> "y";
            case Y_PRIME -> "y'";
            case REJECTED -> index == 1 ? "y_l" : "y_l" + index;
        };
    }

    /** The response with the symbol {@code symbol}. */
    public static Response fromSymbol(String symbol) {
        if (symbol.equals("y")) return Y;
        if (symbol.equals("y'")) return Y_PRIME;
        if (symbol.equals("y_l")) return REJECTED;
        if (symbol.matches("y_l([2-9]|[1-9][0-9]+)")) return rejected(Integer.parseInt(symbol.substring(3)));
        throw new IllegalArgumentException("unknown response '" + symbol + "'; known: y, y', y_l, y_l2, y_l3, ...");
    }

    @Override
    public String toString() {
        return symbol();
    }
}
