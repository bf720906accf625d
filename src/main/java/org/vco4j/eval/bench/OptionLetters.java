package org.vco4j.eval.bench;

import java.util.Locale;

/**
 * The rule grader of S-VCO's multiple-choice evaluations ({@code mmvp_rule_grader_paired_acc.py},
 * {@code cvbench_rule_grader.py}): an answer is right when its first four characters, lower-cased, without
 * parentheses and whitespace, equal the correct option so cleaned ("(a) Open" and "A" are right for "(a)", "The
 * answer is (a)" is not).
 */
final class OptionLetters {
    private OptionLetters() {}

    static boolean isCorrect(String correctAnswer, String answer) {
        String start = answer.strip().toLowerCase(Locale.ROOT);
        start = start.substring(0, Math.min(4, start.length()));
        return clean(start).equals(clean(correctAnswer.strip().toLowerCase(Locale.ROOT)));
    }

    private static String clean(String text) {
        return text.replaceAll("[()\\s]", "");
    }
}
