package org.vco4j.data.world;

import org.vco4j.data.Span;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token masks over the words two responses do not share. Words are cut as the word-level tokenizer cuts them
 * (runs of word characters, runs of punctuation); the shared words are a longest common subsequence, and every
 * other word of each response becomes one span. "There is a red circle." against "There is a green circle."
 * masks {@code red} and {@code green}.
 */
public final class WordDiff {
    private static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private WordDiff() {}

    /** The words of a text as spans. */
    public static List<Span> words(String text) {
        List<Span> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) words.add(new Span(m.start(), m.end()));
        return words;
    }

    /**
     * {@code [spans of y, spans of y']} over the words outside a longest common word subsequence (compared
     * case-insensitively, as the tokenizer lower-cases), or an empty list when either side would select nothing
     * (one response contains the other's words in order): such a pair is then scored on full responses.
     */
    public static List<List<Span>> masks(String y, String yPrime) {
        List<Span> a = words(y);
        List<Span> b = words(yPrime);
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = same(y, a.get(i), yPrime, b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Span> maskA = new ArrayList<>();
        List<Span> maskB = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && same(y, a.get(i), yPrime, b.get(j)) && lcs[i][j] == lcs[i + 1][j + 1] + 1) {
                i++;
                j++;
            } else if (j >= b.size() || (i < a.size() && lcs[i + 1][j] >= lcs[i][j + 1])) {
                maskA.add(a.get(i++));
            } else {
                maskB.add(b.get(j++));
            }
        }
        if (maskA.isEmpty() || maskB.isEmpty()) return List.of();
        return List.of(List.copyOf(maskA), List.copyOf(maskB));
    }

    private static boolean same(String x, Span s, String y, Span t) {
        return x.substring(s.start(), s.end()).equalsIgnoreCase(y.substring(t.start(), t.end()));
    }
}
