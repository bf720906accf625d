package org.vco4j.eval;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides a question by likelihood: each candidate answer is scored under the question's condition and the most
 * probable one is the model's answer. Unlike reading a generated answer, this cannot fail to parse and shows
 * what the model prefers even when its free text drifts — the prototype's lesson was that both views are needed.
 *
 * <p>A question's candidates share the condition's prefix (images encoded, prompt decoded once); each batch runs
 * in its own pointer scope and no gradient is recorded.
 */
public final class ForcedChoice {
    /** A question and the answers to choose among. */
    public record Question(String id, Context condition, List<String> candidates) {
        public Question {
            candidates = List.copyOf(candidates);
            if (candidates.size() < 2) throw new IllegalArgumentException("question '" + id + "': needs at least two candidate answers");
        }
    }

    /**
     * The chosen candidate (the first of equally likely ones) and every candidate's summed log-probability,
     * end-of-sequence token included, so "yes" and "yes please" are not compared unfairly.
     */
    public record Decision(int chosen, double[] logps) {
        public double margin(int a, int b) {
            return logps[a] - logps[b];
        }
    }

    private final Scorer scorer;
    private final VlmProcessor processor;
    private final int batchSize;

    public ForcedChoice(VisionLanguageModel model, VlmProcessor processor, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        this.scorer = new Scorer(model, processor);
        this.processor = processor;
        this.batchSize = batchSize;
    }

    public Scorer scorer() {
        return scorer;
    }

    /** Decisions in question order; fails when two candidates of a question tokenize identically. */
    public List<Decision> decide(List<Question> questions, String stage, EvalProgress progress) {
        for (Question question : questions) requireDistinguishable(question);
        List<Decision> decisions = new ArrayList<>(questions.size());
        progress.update(stage, 0, questions.size());
        int start = 0;
        while (start < questions.size()) {
            // Whole questions per batch, so that a question's candidates always share their prefix.
            List<ScoreRequest> requests = new ArrayList<>();
            int end = start;
            while (end < questions.size() && (requests.isEmpty() || requests.size() + questions.get(end).candidates().size() <= batchSize)) {
                Question question = questions.get(end);
                for (int c = 0; c < question.candidates().size(); c++) {
                    requests.add(new ScoreRequest(question.id() + "#" + c, question.condition(), question.candidates().get(c)));
                }
                end++;
            }
            float[] logps = score(requests);
            int at = 0;
            for (int q = start; q < end; q++) {
                double[] candidateLogps = new double[questions.get(q).candidates().size()];
                for (int c = 0; c < candidateLogps.length; c++) candidateLogps[c] = logps[at++];
                decisions.add(new Decision(argmax(candidateLogps), candidateLogps));
            }
            start = end;
            progress.update(stage, start, questions.size());
        }
        return decisions;
    }

    /** Summed log-probabilities and token counts of arbitrary requests, batched; used by the perplexity diagnostic. */
    public List<double[]> logpsAndTokens(List<ScoreRequest> requests, String stage, EvalProgress progress) {
        List<double[]> out = new ArrayList<>(requests.size());
        progress.update(stage, 0, requests.size());
        for (int start = 0; start < requests.size(); start += batchSize) {
            List<ScoreRequest> batch = requests.subList(start, Math.min(requests.size(), start + batchSize));
            try (PointerScope scope = new PointerScope()) {
                ScoredBatch scored = scorer.scoreWithoutGrad(batch, true);
                float[] logps = Tensors.toFloatArray(scored.logps());
                for (int i = 0; i < batch.size(); i++) out.add(new double[] {logps[i], scored.tokens()[i]});
            }
            progress.update(stage, Math.min(requests.size(), start + batchSize), requests.size());
        }
        return out;
    }

    private float[] score(List<ScoreRequest> requests) {
        try (PointerScope scope = new PointerScope()) {
            return Tensors.toFloatArray(scorer.scoreWithoutGrad(requests, true).logps());
        }
    }

    private void requireDistinguishable(Question question) {
        List<String> candidates = question.candidates();
        for (int a = 0; a < candidates.size(); a++) {
            long[] ids = processor.prepareResponse(candidates.get(a), null).ids();
            for (int b = a + 1; b < candidates.size(); b++) {
                if (Arrays.equals(ids, processor.prepareResponse(candidates.get(b), null).ids())) {
                    throw new IllegalArgumentException("question '" + question.id() + "': candidates \"" + candidates.get(a) + "\" and \""
                            + candidates.get(b) + "\" are the same tokens for this model's tokenizer (unknown words?)");
                }
            }
        }
    }

    static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
