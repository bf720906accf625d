package org.vco4j.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.world.Scene;
import org.vco4j.eval.bench.BenchmarkItem;
import org.vco4j.eval.bench.PopeBenchmark;
import org.vco4j.model.processing.Context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POPE on the synthetic world, through the public benchmark's own files and code: the random, popular and
 * adversarial questions are written as POPE's split files ({@code world_pope_<split>.jsonl}: {@code question_id},
 * {@code image}, {@code text}, {@code label}), read back by {@link PopeBenchmark} with the world folder as image
 * folder, answered by forced choice between "yes" and "no", and scored by {@link PopeBenchmark#score} (POPE's answer
 * parsing and metrics; it writes {@code world_pope_<split>_answers.jsonl} too). Metrics per split:
 * {@code pope/<split>/accuracy}, {@code precision}, {@code recall}, {@code f1}, {@code yes_ratio}, {@code questions}
 * ("yes" is the positive class).
 */
public final class Pope {
    /** The dataset name in the split files' names. */
    public static final String DATASET = "world";

    /** One answered question. */
    public record Answer(String split, String scene, String question, boolean truth, boolean answeredYes,
                         double logpYes, double logpNo) {}

    private final ForcedChoice choice;
    private final Path worldFolder;
    private final List<Scene> scenes;
    private final WorldStatistics statistics;
    private final long seed;
    private final Path folder;
    private PopeBenchmark benchmark;
    private final Map<String, PopeQuestion> questionOf = new HashMap<>();

    /** @param folder where the split files go (and the answers, under {@code answers/} or {@code answers-without-image/}) */
    public Pope(ForcedChoice choice, Path worldFolder, List<Scene> scenes, WorldStatistics statistics, long seed, Path folder) {
        this.choice = choice;
        this.worldFolder = worldFolder;
        this.scenes = List.copyOf(scenes);
        this.statistics = statistics;
        this.seed = seed;
        this.folder = folder;
    }

    /** All three splits, with the image or (for the visual-dependency measurement) without it. */
    public EvalResult run(boolean withImages, EvalProgress progress) throws IOException {
        PopeBenchmark pope = benchmark();
        List<ForcedChoice.Question> asked = new ArrayList<>();
        for (BenchmarkItem item : pope.items()) {
            Context condition = withImages ? item.context() : WorldQuestions.withoutImage(item.prompt());
            asked.add(new ForcedChoice.Question(item.id(), condition, List.of(WorldQuestions.YES, WorldQuestions.NO)));
        }
        List<ForcedChoice.Decision> decisions = choice.decide(asked, withImages ? "pope" : "pope without image", progress);
        Map<String, String> answers = new LinkedHashMap<>();
        List<Answer> details = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            String id = asked.get(i).id();
            ForcedChoice.Decision d = decisions.get(i);
            boolean yes = d.chosen() == 0;
            answers.put(id, yes ? WorldQuestions.YES : WorldQuestions.NO);
            PopeQuestion q = questionOf.get(id);
            details.add(new Answer(q.split().label(), q.sceneId(), q.question(), q.truth(), yes, d.logps()[0], d.logps()[1]));
        }
        Path out = folder.resolve(withImages ? "answers" : "answers-without-image");
        Files.createDirectories(out);
        Map<String, Double> metrics = new LinkedHashMap<>();
        // The scorer names a split <dataset>/<split>; the world has one dataset, so its metrics keep the split alone.
        pope.score(answers, out).forEach((key, value) -> metrics.put(key.replace(PopeBenchmark.NAME + "/" + DATASET + "/", PopeBenchmark.NAME + "/"), value));
        return new EvalResult("pope", metrics, details);
    }

    /** The split files, written and read back on first use. */
    PopeBenchmark benchmark() throws IOException {
        if (benchmark == null) {
            Files.createDirectories(folder);
            Map<String, PopeQuestion> byId = new HashMap<>();
            for (PopeSplit split : PopeSplit.values()) {
                List<PopeQuestion> questions = PopeQuestions.build(worldFolder, scenes, statistics, split, seed);
                ArrayNode lines = Json.MAPPER.createArrayNode();
                for (int i = 0; i < questions.size(); i++) {
                    PopeQuestion q = questions.get(i);
                    ObjectNode line = lines.addObject();
                    line.put("question_id", i + 1);
                    line.put("image", worldFolder.relativize(q.image()).toString().replace('\\', '/'));
                    line.put("text", q.question());
                    line.put("label", q.truth() ? "yes" : "no");
                    byId.put(DATASET + "/" + split.label() + "#" + (i + 1), q);
                }
                StringBuilder text = new StringBuilder();
                for (var line : lines) text.append(Json.MAPPER.writeValueAsString(line)).append('\n');
                AtomicFiles.write(splitFile(split), text.toString().getBytes(StandardCharsets.UTF_8));
            }
            // No instruction: the world's questions are asked as its training data asks them.
            benchmark = PopeBenchmark.read(folder, worldFolder, "", 0);
            for (BenchmarkItem item : benchmark.items()) {
                PopeQuestion q = byId.get(item.id());
                if (q == null) throw new IllegalStateException(folder + ": the benchmark read a question it was not written: " + item.id());
                questionOf.put(item.id(), q);
            }
        }
        return benchmark;
    }

    /** {@code world_pope_<split>.jsonl} in the folder. */
    public Path splitFile(PopeSplit split) {
        return folder.resolve(DATASET + "_" + PopeBenchmark.NAME + "_" + split.label() + ".jsonl");
    }
}
