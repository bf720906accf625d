package org.vco4j.model.generation;

import org.vco4j.model.processing.VlmProcessor;

import java.util.Arrays;
import java.util.List;

/**
 * The text of tokens as they are generated, released piece by piece: a piece is released only once no later
 * token can change it, so the pieces always concatenate to the final text. Held back are an incomplete UTF-8
 * character (decoded as U+FFFD until its last byte arrives) and an ending that may be the start of a stop string.
 * When the text contains a stop string, it ends just before it.
 */
final class StreamedText {
    private static final char REPLACEMENT = '\uFFFD';

    private final VlmProcessor processor;
    private final List<String> stops;
    private long[] ids = new long[16];
    private int count;
    private String released = "";
    private boolean stopped;

    StreamedText(VlmProcessor processor, List<String> stops) {
        this.processor = processor;
        this.stops = stops;
    }

    /** Adds a generated token; returns the newly released text (often empty). */
    String add(long id) {
        if (count == ids.length) ids = Arrays.copyOf(ids, count * 2);
        ids[count++] = id;
        String decoded = processor.decode(Arrays.copyOf(ids, count));
        int stop = firstStop(decoded);
        if (stop >= 0) {
            stopped = true;
            return release(decoded.substring(0, stop));
        }
        int end = decoded.length();
        while (end > 0 && decoded.charAt(end - 1) == REPLACEMENT) end--;
        String stable = decoded.substring(0, end);
        return release(stable.substring(0, stable.length() - stopPrefixLength(stable)));
    }

    /** Whether the text reached a stop string (nothing more is released then). */
    boolean stopped() {
        return stopped;
    }

    /** Releases what was held back, once generation has ended for another reason than a stop string. */
    String finish() {
        return stopped ? "" : release(processor.decode(Arrays.copyOf(ids, count)));
    }

    /** All text released so far. */
    String text() {
        return released;
    }

    private String release(String text) {
        if (text.length() <= released.length() || !text.startsWith(released)) return "";
        String delta = text.substring(released.length());
        released = text;
        return delta;
    }

    private int firstStop(String text) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /** Length of the longest ending of {@code text} that a stop string starts with (and is shorter than it). */
    private int stopPrefixLength(String text) {
        int longest = 0;
        for (String stop : stops) {
            for (int n = Math.min(stop.length() - 1, text.length()); n > longest; n--) {
                if (text.endsWith(stop.substring(0, n))) {
                    longest = n;
                    break;
                }
            }
        }
        return longest;
    }
}
