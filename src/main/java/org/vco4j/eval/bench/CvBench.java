package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CV-Bench (Tong et al., 2024, Cambrian-1) as published on the Hugging Face dataset {@code nyu-visionx/CV-Bench}:
 * {@code test.jsonl} records with {@code idx}, {@code source} (ADE20K, COCO: 2D; Omni3D: 3D), {@code task} (Count,
 * Relation, Depth, Distance), {@code image} (relative to the file's folder, e.g. {@code img/2D/count/ade20k_10.png}),
 * {@code prompt} (question and lettered choices) and {@code answer} ("(C)").
 *
 * <p>As S-VCO's {@code cvbench_inference.py} and {@code cvbench_rule_grader.py}: the prompt, a newline, "Answer with
 * the option's letter from the given choices directly."; graded by {@link OptionLetters}. Metrics: accuracy per
 * source, {@code cvbench/2d/accuracy} = the mean of ADE20K's and COCO's, {@code cvbench/3d/accuracy} = Omni3D's,
 * {@code cvbench/accuracy} = the mean of 2D and 3D (the benchmark's number), and accuracy per task. The answers are also
 * written as {@code cvbench_answers.jsonl} in the grader's input format.
 */
public final class CvBench extends AbstractPublicBenchmark {
    public static final String NAME = "cvbench";
    public static final String QUESTIONS_FILE = "test.jsonl";

    /** One question: its id, source, task and correct option. */
    record Question(String idx, String source, String task, String answer, BenchmarkItem item) {}

    private final List<Question> questions;

    private CvBench(List<Question> questions, Path data, Path images, String instruction, int limit) {
        super(NAME, Map.of("grader", "rule"), data, images, instruction, limit, questions.stream().map(Question::item).toList());
        this.questions = questions;
    }

    /**
     * @param data   {@value #QUESTIONS_FILE} or its folder
     * @param images where the records' image paths are resolved; null for the file's folder
     */
    public static CvBench read(Path data, Path images, String instruction, int limit) throws IOException {
        Path file = BenchmarkFiles.fileIn(data, QUESTIONS_FILE);
        Path folder = images != null ? images : file.toAbsolutePath().getParent();
        String suffix = instruction == null ? MmvpBenchmark.DEFAULT_INSTRUCTION : instruction;
        List<Question> questions = BenchmarkFiles.readJsonLines(file, "idx", limit,
                (idx, record, where) -> question(idx, record, where, folder, suffix));
        return new CvBench(questions, file, folder, suffix, limit);
    }

    private static Question question(String idx, JsonNode record, String where, Path folder, String suffix) {
        String prompt = BenchmarkFiles.text(record, "prompt", where);
        Path image = BenchmarkFiles.image(folder, BenchmarkFiles.text(record, "image", where), where, "image");
        return new Question(idx, BenchmarkFiles.text(record, "source", where), BenchmarkFiles.text(record, "task", where),
                BenchmarkFiles.text(record, "answer", where), new BenchmarkItem(idx, image, withInstruction(prompt, suffix)));
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        AccuracyTally bySource = new AccuracyTally();
        AccuracyTally byTask = new AccuracyTally();
        ArrayNode lines = Json.MAPPER.createArrayNode();
        for (Question q : questions) {
            String response = answers.get(q.item().id());
            boolean right = OptionLetters.isCorrect(q.answer(), response);
            bySource.add(q.source(), right);
            byTask.add(q.task(), right);
            lines.addObject().put("question_id", q.idx()).put("source", q.source()).put("task", q.task()).put("prompt", q.item().prompt())
                    .put("response", response).put("answer", q.answer()).put("correct", right);
        }
        BenchmarkFiles.writeJsonLines(out.resolve("cvbench_answers.jsonl"), lines);
        // a source not asked (a --limit) leaves NaN, and so the 2D, 3D and overall means
        double twoD = (bySource.accuracy("ADE20K") + bySource.accuracy("COCO")) / 2;
        double threeD = bySource.accuracy("Omni3D");
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(NAME + "/accuracy", (twoD + threeD) / 2);
        metrics.put(NAME + "/2d/accuracy", twoD);
        metrics.put(NAME + "/3d/accuracy", threeD);
        bySource.keys().forEach(source -> metrics.put(NAME + "/source/" + source + "/accuracy", bySource.accuracy(source)));
        byTask.keys().forEach(task -> metrics.put(NAME + "/task/" + task + "/accuracy", byTask.accuracy(task)));
        metrics.put(NAME + "/questions", (double) questions.size());
        return metrics;
    }
}
