package org.vco4j.model.processing;

/**
 * A response as token ids, ending in the end-of-sequence token, and which of those tokens count toward
 * its log-probability (all of them unless a character-span mask selected some).
 */
public record PreparedResponse(long[] ids, boolean[] counted) {
    public int countedTokens() {
        int n = 0;
        for (boolean c : counted) if (c) n++;
        return n;
    }
}
