package org.vco4j.data;

/**
 * A character span {@code [start, end)} of a response, one piece of a token mask: a token counts when its
 * text overlaps a span. Offsets are Java string indices (UTF-16 code units); the data file writes them as
 * Unicode code points, as Python indexes a {@code str}, and {@link SampleReader} and {@link SampleWriter}
 * convert.
 */
public record Span(int start, int end) {
    public Span {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("[" + start + ", " + end + "] is not a non-empty span (0 <= start < end)");
        }
    }

    /** {@code {start, end}}, the form score requests take. */
    public int[] toArray() {
        return new int[] {start, end};
    }

    /** The span in code points of {@code text}, which it must lie in. */
    public Span toCodePoints(String text) {
        return new Span(text.codePointCount(0, start), text.codePointCount(0, end));
    }

    /** The span given in code points of {@code text} as string indices; the caller has checked the range. */
    public static Span fromCodePoints(String text, int start, int end) {
        return new Span(text.offsetByCodePoints(0, start), text.offsetByCodePoints(0, end));
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + "]";
    }
}
