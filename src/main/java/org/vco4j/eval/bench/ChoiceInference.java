package org.vco4j.eval.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VLMEvalKit's exact matching of a free answer to a multiple-choice option ({@code vlmeval/utils/matching_util.py},
 * {@code can_infer}, as of commit 18fc37a): first the option letters — the answer with {@code .()[],:;!*#{}} turned into
 * spaces, split at whitespace; exactly one of the option letters among the words is the choice, a refusal is "Z" —
 * then the option texts: exactly one option whose text (lower-cased) occurs in the lower-cased answer. Otherwise no
 * choice (VLMEvalKit's "exact_matching" policy then counts the question wrong).
 */
final class ChoiceInference {
    private static final List<String> REFUSALS = List.of("Sorry, I can't help with images of people yet.", "I can't process this file.",
            "I'm sorry, but without the image provided", "Cannot determine the answer");

    private ChoiceInference() {}

    /** The option letter the answer picks, "Z" for a refusal, or null when none can be inferred. */
    static String infer(String answer, Map<String, String> choices) {
        String option = inferOption(answer, choices);
        return option != null ? option : inferText(answer, choices);
    }

    private static String inferOption(String answer, Map<String, String> choices) {
        if (answer.contains("Failed to obtain answer via API")) return null;
        for (String refusal : REFUSALS) if (answer.contains(refusal)) return "Z";
        String cleaned = answer;
        for (char c : ".()[],:;!*#{}".toCharArray()) cleaned = cleaned.replace(c, ' ');
        List<String> words = Arrays.asList(cleaned.strip().split("\\s+"));
        List<String> found = new ArrayList<>();
        for (String letter : choices.keySet()) if (words.contains(letter)) found.add(letter);
        if (found.size() == 1) return found.get(0);
        if (found.isEmpty() && words.contains("Z")) return "Z";
        return null;
    }

    private static String inferText(String answer, Map<String, String> choices) {
        String lower = answer.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        choices.forEach((letter, text) -> {
            if (lower.contains(text.toLowerCase(Locale.ROOT))) found.add(letter);
        });
        return found.size() == 1 ? found.get(0) : null;
    }
}
