package org.vco4j.eval;

import org.vco4j.model.processing.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MMVP-style pairs (Tong et al., 2024): one question about two minimally different images whose right answers
 * differ; the model chooses among the candidates by likelihood, and a pair counts only when both of its images
 * are answered right. Metrics: {@code mmvp/pair_accuracy}, {@code mmvp/question_accuracy}, {@code mmvp/pairs}, and
 * the same per contrast kind ({@code mmvp/color/pair_accuracy}, ...).
 */
public final class Mmvp {
    /** One pair's answers: {@code chosen.get(i)} is the answer picked for image i. */
    public record Outcome(String id, String kind, String question, List<String> answers, List<String> chosen) {
        public boolean right(int image) {
            return chosen.get(image).equals(answers.get(image));
        }

        public boolean bothRight() {
            return right(0) && right(1);
        }
    }

    private final ForcedChoice choice;
    private final List<MmvpPair> pairs;

    public Mmvp(ForcedChoice choice, List<MmvpPair> pairs) {
        this.choice = choice;
        this.pairs = List.copyOf(pairs);
    }

    /** Every pair, with its images or (for the visual-dependency measurement) with no image at all. */
    public EvalResult run(boolean withImages, EvalProgress progress) {
        List<ForcedChoice.Question> questions = new ArrayList<>();
        for (MmvpPair pair : pairs) {
            for (int i = 0; i < 2; i++) {
                Context condition = withImages ? WorldQuestions.withImage(pair.images().get(i), pair.question())
                        : WorldQuestions.withoutImage(pair.question());
                questions.add(new ForcedChoice.Question(pair.id() + "#" + i, condition, pair.candidates()));
            }
        }
        List<ForcedChoice.Decision> decisions = choice.decide(questions, withImages ? "mmvp" : "mmvp without image", progress);
        List<Outcome> outcomes = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            MmvpPair pair = pairs.get(p);
            List<String> chosen = List.of(pair.candidates().get(decisions.get(2 * p).chosen()),
                    pair.candidates().get(decisions.get(2 * p + 1).chosen()));
            outcomes.add(new Outcome(pair.id(), pair.kind(), pair.question(), pair.answers(), chosen));
        }
        return new EvalResult("mmvp", metrics(outcomes), outcomes);
    }

    /** Pair and question accuracy over all outcomes and per kind. */
    public static Map<String, Double> metrics(List<Outcome> outcomes) {
        Map<String, Double> metrics = new LinkedHashMap<>(accuracies("mmvp", outcomes));
        metrics.put("mmvp/pairs", (double) outcomes.size());
        outcomes.stream().map(Outcome::kind).distinct()
                .forEach(kind -> metrics.putAll(accuracies("mmvp/" + kind, outcomes.stream().filter(o -> o.kind().equals(kind)).toList())));
        return metrics;
    }

    private static Map<String, Double> accuracies(String prefix, List<Outcome> outcomes) {
        int pairsRight = 0;
        int questionsRight = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.bothRight()) pairsRight++;
            questionsRight += (outcome.right(0) ? 1 : 0) + (outcome.right(1) ? 1 : 0);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(prefix + "/pair_accuracy", BinaryCounts.ratio(pairsRight, outcomes.size()));
        metrics.put(prefix + "/question_accuracy", BinaryCounts.ratio(questionsRight, 2.0 * outcomes.size()));
        return metrics;
    }
}
