package org.vco4j.eval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word tokens as NLTK's {@code word_tokenize} gives them for the benchmarks' scorers (CHAIR, AMBER), approximated by
 * one rule: runs of letters and digits (joined by inner hyphens, "t-shirt") are words; a clitic ({@code 's},
 * {@code 're}) and every other non-space character are tokens of their own. NLTK differs on numbers with a decimal
 * point, abbreviations ("e.g.") and a few quote forms; no object word of either benchmark is affected.
 */
final class WordTokens {
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:-[\\p{L}\\p{N}]+)*|'\\p{L}+|\\S");

    private WordTokens() {}

    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) tokens.add(m.group());
        return tokens;
    }
}
