package org.vco4j.data.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The world reading its own language: a parser for the caption grammar of {@link Captions}, so that a model's
 * free text can be checked for being a well-formed sentence of the world (its fluency), whatever it says about
 * the picture.
 * <pre>
 *   caption := "There " ("is" | "are") group ((", " group)* " and " group)? "."
 *   group   := "a " size " " color " " shape " on the " region
 *            | count [" " size] " " color " " plural [" on the " region]     (count two … four)
 * </pre>
 * The verb agrees with the first group ("is" before "a …", "are" before a count). Words are compared without
 * case and punctuation may touch or be spaced from the words (a word-level tokenizer decodes "left ." as
 * "left."), since those are the tokenizer's, not the model's, choices; every other character, a missing or
 * repeated word, or text after the final full stop makes the caption ill-formed. Whether the caption is true of
 * an image is not the grammar's business (CHAIR's).
 */
public final class CaptionGrammar {
    private static final Pattern TOKEN = Pattern.compile("\\s*([a-z]+|[,.])\\s*");

    /** One group of a parsed caption: how many (1 for "a"), and the words it used; null where a word was left out. */
    public record Group(int count, String size, String color, String shape, String region) {}

    private CaptionGrammar() {}

    /** True when {@code text} is a well-formed caption. */
    public static boolean isFluent(String text) {
        return parse(text).isPresent();
    }

    /** The caption's groups in order, or empty when the text is not a sentence of the grammar. */
    public static Optional<List<Group>> parse(String text) {
        List<String> tokens = tokens(text);
        if (tokens == null) return Optional.empty();
        return new Reader(tokens).caption();
    }

    /** Lower-cased words and the marks "," and "."; null when the text holds any other character. */
    static List<String> tokens(String text) {
        String lower = text.toLowerCase(Locale.ROOT).strip();
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(lower);
        int at = 0;
        while (at < lower.length()) {
            if (!m.find(at) || m.start() != at) return null;
            tokens.add(m.group(1));
            at = m.end();
        }
        return tokens;
    }

    private static final class Reader {
        private final List<String> tokens;
        private int at;

        Reader(List<String> tokens) {
            this.tokens = tokens;
        }

        Optional<List<Group>> caption() {
            if (!take("there")) return Optional.empty();
            String verb = next();
            if (!"is".equals(verb) && !"are".equals(verb)) return Optional.empty();
            List<Group> groups = new ArrayList<>();
            Group first = group();
            if (first == null || (first.count() == 1) != verb.equals("is")) return Optional.empty();
            groups.add(first);
            // ", group" any number of times, then " and group" once to close a list of two or more.
            while (peek(",")) {
                at++;
                Group g = group();
                if (g == null) return Optional.empty();
                groups.add(g);
            }
            if (peek("and")) {
                at++;
                Group g = group();
                if (g == null) return Optional.empty();
                groups.add(g);
            } else if (groups.size() > 1) {
                return Optional.empty(); // "a, b." lacks its "and"
            }
            if (!take(".") || at != tokens.size()) return Optional.empty();
            return Optional.of(List.copyOf(groups));
        }

        private Group group() {
            String head = next();
            if ("a".equals(head)) {
                String size = next();
                String color = next();
                String shape = next();
                if (!in(WorldVocabulary.SIZES, size) || !in(WorldVocabulary.COLORS, color) || !in(WorldVocabulary.SHAPES, shape)) {
                    return null;
                }
                String region = region();
                return region == null ? null : new Group(1, size, color, shape, region);
            }
            int count = head == null ? 0 : WorldVocabulary.COUNTS.indexOf(head) + 1;
            if (count < 2) return null;
            String size = null;
            if (at < tokens.size() && WorldVocabulary.SIZES.contains(tokens.get(at))) size = next();
            String color = next();
            String plural = next();
            if (!in(WorldVocabulary.COLORS, color)) return null;
            String shape = WorldVocabulary.SHAPES.stream().filter(s -> WorldVocabulary.plural(s).equals(plural)).findFirst().orElse(null);
            if (shape == null) return null;
            String region = null;
            if (peek("on")) {
                region = region();
                if (region == null) return null;
            }
            return new Group(count, size, color, shape, region);
        }

        /** " on the left" / " on the right"; null when not there. */
        private String region() {
            if (!take("on") || !take("the")) return null;
            String region = next();
            return in(WorldVocabulary.REGIONS, region) ? region : null;
        }

        /** A word of the list; false at the end of the text (null). */
        private static boolean in(List<String> words, String word) {
            return word != null && words.contains(word);
        }

        private boolean peek(String token) {
            return at < tokens.size() && tokens.get(at).equals(token);
        }

        private boolean take(String token) {
            if (!peek(token)) return false;
            at++;
            return true;
        }

        private String next() {
            return at < tokens.size() ? tokens.get(at++) : null;
        }
    }
}
