package org.vco4j.data.endpoints;

import org.vco4j.data.Span;

import java.util.ArrayList;
import java.util.List;

/**
 * Token masks from the character difference of two answers, as IC-VCO records the token-level differences between
 * {@code y} and the rewritten {@code y'_new}: the characters outside a longest common subsequence (after the shared
 * prefix and suffix are set aside), each run widened to whole words, become the spans of each answer. When one
 * answer only gains or loses words (its side of the difference is empty), that side's span is the word or words
 * touching the point of insertion, so both answers always carry a mask. "There is a red cup." against "There is a
 * green cup." gives {@code red} and {@code green}.
 */
public final class CharDiff {
    /** The largest alignment table (about 64 MB); longer differing middles are masked whole. */
    private static final long MAX_CELLS = 16_000_000;
    private CharDiff() {}

    /** {@code [spans of a, spans of b]}; both non-empty unless the texts are equal (then an empty list). */
    public static List<List<Span>> masks(String a, String b) {
        if (a.equals(b)) return List.of();
        int prefix = 0;
        int limit = Math.min(a.length(), b.length());
        while (prefix < limit && a.charAt(prefix) == b.charAt(prefix)) prefix++;
        int suffix = 0;
        while (suffix < limit - prefix && a.charAt(a.length() - 1 - suffix) == b.charAt(b.length() - 1 - suffix)) suffix++;
        String midA = a.substring(prefix, a.length() - suffix);
        String midB = b.substring(prefix, b.length() - suffix);
        boolean[] changedA = new boolean[midA.length()];
        boolean[] changedB = new boolean[midB.length()];
        lcsMarks(midA, midB, changedA, changedB);
        List<Span> spansA = widen(a, prefix, changedA);
        List<Span> spansB = widen(b, prefix, changedB);
        if (spansA.isEmpty()) spansA = List.of(around(a, prefix + firstChanged(changedB, midA, midB)));
        if (spansB.isEmpty()) spansB = List.of(around(b, prefix + firstChanged(changedA, midB, midA)));
        return List.of(spansA, spansB);
    }

    /** Marks the characters of each text outside one longest common subsequence. */
    private static void lcsMarks(String x, String y, boolean[] changedX, boolean[] changedY) {
        int n = x.length();
        int m = y.length();
        if ((long) n * m > MAX_CELLS) { // too long to align: the whole middle differs
            java.util.Arrays.fill(changedX, true);
            java.util.Arrays.fill(changedY, true);
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x.charAt(i) == y.charAt(j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x.charAt(i) == y.charAt(j)) {
                i++;
                j++;
            } else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) {
                changedX[i++] = true;
            } else {
                changedY[j++] = true;
            }
        }
    }

    /** Where, in the other text's middle, the insertion happened: the index of its first changed character. */
    private static int firstChanged(boolean[] changedOther, String self, String other) {
        for (int i = 0; i < changedOther.length; i++) {
            if (changedOther[i]) return Math.min(i, self.length());
        }
        return 0;
    }

    /** Runs of changed characters widened to whole words and merged. */
    private static List<Span> widen(String text, int offset, boolean[] changed) {
        List<Span> spans = new ArrayList<>();
        int i = 0;
        while (i < changed.length) {
            if (!changed[i]) {
                i++;
                continue;
            }
            int start = i;
            while (i < changed.length && changed[i]) i++;
            Span word = wordsOf(text, offset + start, offset + i);
            if (word == null) continue;
            if (!spans.isEmpty() && spans.get(spans.size() - 1).end() >= word.start()) {
                Span last = spans.remove(spans.size() - 1);
                word = new Span(last.start(), Math.max(last.end(), word.end()));
            }
            spans.add(word);
        }
        return spans;
    }

    /** {@code [start, end)} widened to the words it touches, trimmed of white space; null when it holds only spaces. */
    private static Span wordsOf(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) start++;
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
        if (start == end) return null;
        while (start > 0 && isWord(text.charAt(start - 1)) && isWord(text.charAt(start))) start--;
        while (end < text.length() && isWord(text.charAt(end)) && isWord(text.charAt(end - 1))) end++;
        return new Span(start, end);
    }

    /** The word or words touching position {@code at} (the one before it and the one after it). */
    private static Span around(String text, int at) {
        int start = Math.min(at, text.length());
        while (start > 0 && Character.isWhitespace(text.charAt(start - 1))) start--;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1))) start--;
        int end = Math.min(at, text.length());
        while (end < text.length() && Character.isWhitespace(text.charAt(end))) end++;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) end++;
        if (start == end) return new Span(0, text.length());
        return new Span(start, end);
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '\'';
    }
}
