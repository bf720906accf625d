package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MMHal-Bench (Sun et al., 2023; LLaVA-RLHF) as published ({@code response_template.json} of the Hugging Face dataset
 * {@code Shengcao1006/MMHal-Bench}): 96 records of {@code question_type}, {@code question_topic}, {@code image_id},
 * {@code image_src}, {@code image_content} (a list), {@code question}, {@code gt_answer}. The image is the file named
 * by {@code image_src}'s last path segment (or by {@code image_path}'s, when a record has one) in {@code --images}.
 *
 * <p>Graded as LLaVA-RLHF's {@code Eval/eval_gpt_mmhal.py}: the judge gets the reference prompt (five in-context
 * examples; image contents joined with ", ", question, human answer, the model's answer) at temperature 0; the score
 * is N when the lower-cased reply contains exactly one of "rating: 0" … "rating: 6", else 0; a score below 3 is a
 * hallucination. Metrics: {@code mmhal/average_score}, {@code mmhal/hallucination_rate}, the same per question type
 * ({@code mmhal/<type>/...}), and {@code mmhal/unparsed} (replies with zero or several ratings). Written next to
 * the summary: {@code response.json} (the template with {@code model_answer} filled, the reference's input) and
 * {@code evaluation.json} (the judge's replies, in the order of the records, as chat-completion objects).
 */
public final class MmhalBenchmark extends JudgedBenchmark {
    public static final String NAME = "mmhal";
    public static final String TEMPLATE_FILE = "response_template.json";
    private static final String PROMPT = prompt();

    /** One record of the template (kept whole for response.json) and the item asked. */
    record Question(ObjectNode record, String type, BenchmarkItem item) {}

    private final List<Question> questions;

    private MmhalBenchmark(List<Question> questions, ChatClient judge, Path data, Path images, String instruction, int limit) {
        super(NAME, judge, null, data, images, instruction, limit, questions.stream().map(Question::item).toList());
        this.questions = questions;
    }

    /**
     * @param data        {@value #TEMPLATE_FILE} or the folder holding it
     * @param instruction after the question and a newline; null or empty for none (the reference asks the question alone)
     * @param limit       at most this many records (the first); 0 for all
     */
    public static MmhalBenchmark read(Path data, Path images, String instruction, int limit, ChatClient judge) throws IOException {
        Path file = BenchmarkFiles.fileIn(data, TEMPLATE_FILE);
        BenchmarkFiles.requireImageFolder(images, "MMHal-Bench needs its image folder");
        String suffix = instruction == null ? "" : instruction;
        List<Question> questions = BenchmarkFiles.readJsonArray(file, "record", "records", limit, (index, record, where) -> {
            String type = BenchmarkFiles.text(record, "question_type", where);
            BenchmarkFiles.text(record, "gt_answer", where);
            imageContent(record, where);
            String question = BenchmarkFiles.text(record, "question", where);
            Path image = BenchmarkFiles.image(images, imageName(record, where), where, record.hasNonNull("image_path") ? "image_path" : "image_src");
            return new Question(record, type, new BenchmarkItem(String.valueOf(index), image, withInstruction(question, suffix)));
        });
        return new MmhalBenchmark(questions, judge, file, images, suffix, limit);
    }

    /** The reference's reading of a judge reply: N when exactly one "rating: N" (N in 0..6) occurs, lower-cased; else 0. */
    public static int rating(String reply) {
        List<Integer> found = ratingsFound(reply);
        return found.size() == 1 ? found.get(0) : 0;
    }

    /** Every N in 0..6 for which the lower-cased reply contains "rating: N". */
    static List<Integer> ratingsFound(String reply) {
        String lower = reply.toLowerCase(Locale.ROOT);
        List<Integer> found = new ArrayList<>();
        for (int s = 0; s < 7; s++) if (lower.contains("rating: " + s)) found.add(s);
        return found;
    }

    /** The judge's prompt for one record and answer, as the reference formats its template. */
    static String judgePrompt(JsonNode record, String answer) {
        List<String> content = new ArrayList<>();
        record.get("image_content").forEach(c -> content.add(c.asText()));
        String[] values = {String.join(", ", content), record.get("question").asText(), record.get("gt_answer").asText(), answer};
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (String value : values) {
            int slot = PROMPT.indexOf("{}", from);
            out.append(PROMPT, from, slot).append(value);
            from = slot + 2;
        }
        return out.append(PROMPT.substring(from)).toString();
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        List<List<ChatMessage>> conversations = new ArrayList<>();
        ArrayNode responses = Json.MAPPER.createArrayNode();
        for (Question q : questions) {
            String answer = answers.get(q.item().id());
            conversations.add(List.of(ChatMessage.user(judgePrompt(q.record(), answer))));
            responses.add(q.record().deepCopy().put("model_answer", answer));
        }
        AtomicFiles.write(out.resolve("response.json"), Json.PRETTY.writeValueAsBytes(responses));
        List<String> replies = judgeReplies(conversations, 0.0);
        ArrayNode evaluation = Json.MAPPER.createArrayNode();
        for (String reply : replies) {
            ObjectNode completion = evaluation.addObject();
            completion.put("object", "chat.completion").put("model", judge().settings().model());
            completion.putArray("choices").addObject().put("index", 0).putObject("message").put("role", "assistant").put("content", reply);
        }
        AtomicFiles.write(out.resolve("evaluation.json"), Json.PRETTY.writeValueAsBytes(evaluation));
        return metrics(replies);
    }

    Map<String, Double> metrics(List<String> replies) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, List<Integer>> byType = new LinkedHashMap<>();
        List<Integer> scores = new ArrayList<>();
        int unparsed = 0;
        for (int i = 0; i < questions.size(); i++) {
            int score = rating(replies.get(i));
            if (ratingsFound(replies.get(i)).size() != 1) unparsed++;
            scores.add(score);
            byType.computeIfAbsent(questions.get(i).type(), t -> new ArrayList<>()).add(score);
        }
        putScores(metrics, NAME, scores);
        metrics.put(NAME + "/unparsed", (double) unparsed);
        byType.forEach((type, typeScores) -> putScores(metrics, NAME + "/" + type, typeScores));
        return metrics;
    }

    private static void putScores(Map<String, Double> metrics, String prefix, List<Integer> scores) {
        metrics.put(prefix + "/average_score", scores.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN));
        metrics.put(prefix + "/hallucination_rate", scores.stream().mapToInt(s -> s < 3 ? 1 : 0).average().orElse(Double.NaN));
    }

    private static void imageContent(JsonNode record, String where) {
        JsonNode content = record.get("image_content");
        if (content == null || !content.isArray()) throw new IllegalArgumentException(where + ": field 'image_content' must be a list of strings");
        for (JsonNode c : content) {
            if (!c.isTextual()) throw new IllegalArgumentException(where + ": field 'image_content' must be a list of strings, got " + c);
        }
    }

    /** The image file's name: the last path segment of image_path, else of the image_src URL. */
    private static String imageName(JsonNode record, String where) {
        if (record.hasNonNull("image_path")) return Path.of(BenchmarkFiles.text(record, "image_path", where)).getFileName().toString();
        String source = BenchmarkFiles.text(record, "image_src", where);
        String path;
        try {
            path = new URI(source).getPath();
        } catch (URISyntaxException e) {
            path = source;
        }
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            throw new IllegalArgumentException(where + ": field 'image_src' (" + source + ") names no file");
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String prompt() {
        try (InputStream in = MmhalBenchmark.class.getResourceAsStream("mmhal_judge_prompt.txt")) {
            if (in == null) throw new IllegalStateException("resource mmhal_judge_prompt.txt missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
