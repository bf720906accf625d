package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.model.processing.Context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POPE on the synthetic world: yes/no object-existence questions in the random, popular and adversarial splits,
 * each answered by forced choice between "yes" and "no". Metrics per split: {@code pope/<split>/accuracy},
 * {@code precision}, {@code recall}, {@code f1}, {@code yes_ratio} ("yes" is the positive class).
 */
public final class Pope {
    /** One answered question. */
    public record Answer(String split, String scene, String question, boolean truth, boolean answeredYes,
                         double logpYes, double logpNo) {}

    private final ForcedChoice choice;
    private final Path worldFolder;
    private final List<Scene> scenes;
    private final WorldStatistics statistics;
    private final long seed;

    public Pope(ForcedChoice choice, Path worldFolder, List<Scene> scenes, WorldStatistics statistics, long seed) {
        this.choice = choice;
        this.worldFolder = worldFolder;
        this.scenes = List.copyOf(scenes);
        this.statistics = statistics;
        this.seed = seed;
    }

    /** All three splits, with the image or (for the visual-dependency measurement) without it. */
    public EvalResult run(boolean withImages, EvalProgress progress) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        List<Answer> answers = new ArrayList<>();
        for (PopeSplit split : PopeSplit.values()) {
            List<PopeQuestion> questions = PopeQuestions.build(worldFolder, scenes, statistics, split, seed);
            List<ForcedChoice.Question> asked = new ArrayList<>();
            for (PopeQuestion q : questions) {
                Context condition = withImages ? WorldQuestions.withImage(q.image(), q.question()) : WorldQuestions.withoutImage(q.question());
                asked.add(new ForcedChoice.Question(q.id(), condition, List.of(WorldQuestions.YES, WorldQuestions.NO)));
            }
            List<ForcedChoice.Decision> decisions = choice.decide(asked, "pope " + split.label() + (withImages ? "" : " without image"), progress);
            BinaryCounts counts = BinaryCounts.EMPTY;
            for (int i = 0; i < questions.size(); i++) {
                PopeQuestion q = questions.get(i);
                ForcedChoice.Decision d = decisions.get(i);
                boolean yes = d.chosen() == 0;
                counts = counts.add(q.truth(), yes);
                answers.add(new Answer(split.label(), q.sceneId(), q.question(), q.truth(), yes, d.logps()[0], d.logps()[1]));
            }
            metrics.putAll(counts.metrics("pope/" + split.label()));
            metrics.put("pope/" + split.label() + "/questions", (double) counts.total());
        }
        return new EvalResult("pope", metrics, answers);
    }
}
