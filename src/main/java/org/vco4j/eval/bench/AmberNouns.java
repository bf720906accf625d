package org.vco4j.eval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nouns of a response as AMBER's {@code extract_nouns} finds them, restricted to AMBER's vocabulary (the words
 * of {@code relation.json}, the only nouns its scorer keeps). The reference tags tokens with NLTK's perceptron tagger
 * (keeping {@code NN*}) and lemmatizes them with WordNet; Java has neither, so:
 * <ul>
 *   <li>every token counts, whatever its part of speech (the reference's {@code safe_words.txt} already drops the
 *       vocabulary words most often used otherwise: "orange", "light", "sign", ...);</li>
 *   <li>the lemma is WordNet's noun morphology — its exception list for irregular plurals, then the suffix rules
 *       (-s, -ses, -ves, -xes, -zes, -ches, -shes, -men, -ies) — taking the shortest candidate that is a vocabulary
 *       word, the token itself included (WordNet's {@code lemmatize} takes the shortest it knows).</li>
 * </ul>
 * Case is kept, as in the reference: a capitalised "Dog" is no vocabulary word.
 */
final class AmberNouns {
    private static final String[][] SUFFIXES = {{"s", ""}, {"ses", "s"}, {"ves", "f"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"},
            {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
    /** WordNet's noun.exc entries for plurals of everyday objects. */
    private static final Map<String, String> EXCEPTIONS = Map.ofEntries(Map.entry("children", "child"), Map.entry("feet", "foot"),
            Map.entry("geese", "goose"), Map.entry("mice", "mouse"), Map.entry("teeth", "tooth"), Map.entry("women", "woman"),
            Map.entry("men", "man"), Map.entry("oxen", "ox"), Map.entry("lice", "louse"), Map.entry("dice", "die"),
            Map.entry("knives", "knife"), Map.entry("leaves", "leaf"), Map.entry("wolves", "wolf"), Map.entry("calves", "calf"),
            Map.entry("halves", "half"), Map.entry("loaves", "loaf"), Map.entry("shelves", "shelf"), Map.entry("scarves", "scarf"),
            Map.entry("wives", "wife"), Map.entry("lives", "life"), Map.entry("thieves", "thief"), Map.entry("cacti", "cactus"),
            Map.entry("fungi", "fungus"), Map.entry("people", "person"));

    private final Set<String> vocabulary;

    AmberNouns(Set<String> vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** The response's vocabulary nouns, lemmatized, in order (repeats kept). */
    List<String> extract(String response) {
        List<String> nouns = new ArrayList<>();
        for (String token : WordTokens.split(response)) {
            String lemma = lemma(token);
            if (vocabulary.contains(lemma)) nouns.add(lemma);
        }
        return nouns;
    }

    String lemma(String word) {
        String best = vocabulary.contains(word) ? word : null;
        String irregular = EXCEPTIONS.get(word);
        if (irregular != null && vocabulary.contains(irregular)) best = shorter(best, irregular);
        for (String[] rule : SUFFIXES) {
            if (word.endsWith(rule[0]) && word.length() > rule[0].length()) {
                String candidate = word.substring(0, word.length() - rule[0].length()) + rule[1];
                if (vocabulary.contains(candidate)) best = shorter(best, candidate);
            }
        }
        return best == null ? word : best;
    }

    private static String shorter(String a, String b) {
        return a == null || b.length() < a.length() ? b : a;
    }
}
