package org.vco4j.model.tokenizer;

import java.util.List;

/**
 * The tokens of one text: ids, token strings, and for each token the half-open range
 * {@code [start, end)} of Java {@code char} indices it came from ({@code start == end} for tokens that
 * stand for no text, such as an added {@code <s>}).
 */
public final class TokenizedText {
    private final String text;
    private final long[] ids;
    private final String[] tokens;
    private final int[] starts;
    private final int[] ends;
    private final boolean[] special;

    TokenizedText(String text, long[] ids, String[] tokens, int[] starts, int[] ends, boolean[] special) {
        this.text = text;
        this.ids = ids;
        this.tokens = tokens;
        this.starts = starts;
        this.ends = ends;
        this.special = special;
    }

    public String text() { return text; }
    public int size() { return ids.length; }
    public long[] ids() { return ids.clone(); }
    public String[] tokens() { return tokens.clone(); }
    /** First char index of token {@code i} in {@link #text()}. */
    public int start(int i) { return starts[i]; }
    /** One past the last char index of token {@code i}. */
    public int end(int i) { return ends[i]; }
    /** Whether token {@code i} is a special token: added by the post-processor, or a special added token matched in the text. */
    public boolean isSpecial(int i) { return special[i]; }

    /**
     * Selects the tokens whose char range overlaps any of {@code charSpans} (each {@code {start, end}},
     * end exclusive). An empty span selects nothing, and a token that stands for no text is never selected.
     */
    public boolean[] tokenMask(List<int[]> charSpans) {
        for (int[] span : charSpans) {
            if (span.length != 2 || span[0] < 0 || span[1] < span[0] || span[1] > text.length()) {
                throw new IllegalArgumentException("char span " + java.util.Arrays.toString(span)
                        + " is not a range {start, end} within a text of length " + text.length());
            }
        }
        boolean[] mask = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (starts[i] == ends[i]) continue;
            for (int[] span : charSpans) {
                if (span[0] < span[1] && starts[i] < span[1] && span[0] < ends[i]) {
                    mask[i] = true;
                    break;
                }
            }
        }
        return mask;
    }
}
