package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.vco4j.common.Json;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MMVP (Tong et al., 2024) as published on the Hugging Face dataset {@code MMVP/MMVP}: {@code Questions.csv} with the
 * columns {@code Question}, {@code Options} ("(a) Open (b) Closed") and {@code Correct Answer} ("(a)"), and the image
 * of row i (1-based) at {@code MMVP Images/i.jpg} (the published folder is spelt {@code MMVP Imgaes}; both are
 * found; {@code i.png} is taken where there is no {@code i.jpg}). Consecutive rows (1-2, 3-4, ...) are the two images of one CLIP-blind pair.
 *
 * <p>The prompt is S-VCO's ({@code eval_vlm/llava/eval/mmvp_inference.py}): {@code Question + " " + Options}, a newline,
 * then the instruction. The rule grader is S-VCO's {@code mmvp_rule_grader_paired_acc.py} ({@link OptionLetters}); a pair
 * counts when both of its questions are right. Metrics: {@code mmvp/pair_accuracy} (the paper's number),
 * {@code mmvp/question_accuracy}, {@code mmvp/pairs}. The answers are also written as {@code mmvp_answers.jsonl} in the
 * grader's input format ({@code question_id}, {@code prompt}, {@code answer} = the correct option, {@code response}, and
 * {@code correct} as graded).
 *
 * <p>With a judge, answers are graded by MMVP's own {@code gpt_grader.py} instead: its system message and question
 * ("Given the following question …, the correct answer is …. Does the following answer correctly answers the
 * question, answer:…?") at temperature 0.2; right when the reply is exactly "yes" (any case).
 */
public final class MmvpBenchmark extends JudgedBenchmark {
    public static final String NAME = "mmvp";
    public static final String QUESTIONS_FILE = "Questions.csv";
    /** The image folder's names: as the inference scripts spell it, and as the dataset publishes it. */
    public static final List<String> IMAGE_FOLDERS = List.of("MMVP Images", "MMVP Imgaes");
    public static final String DEFAULT_INSTRUCTION = "Answer with the option's letter from the given choices directly.";
    static final String QUESTION = "Question";
    static final String OPTIONS = "Options";
    static final String CORRECT_ANSWER = "Correct Answer";

    /** One row: its 1-based number (the image's name), the correct option and the item asked. */
    record Row(int number, String correctAnswer, BenchmarkItem item) {}

    /** The system message of MMVP's {@code gpt_grader.py}. */
    static final String GRADER_SYSTEM = "You are a helpful and precise assistant for checking the quality of the answer. Please answer in only yes or no.";
    /** The grader's sampling temperature in {@code gpt_grader.py}. */
    static final double GRADER_TEMPERATURE = 0.2;
    private static final Pattern YES_OR_NO = Pattern.compile("^(yes|no)$", Pattern.CASE_INSENSITIVE);

    private final List<Row> rows;

    private MmvpBenchmark(List<Row> rows, ChatClient judge, Path data, Path images, String instruction, int limit) {
        super(NAME, judge, "rule", data, images, instruction, limit, rows.stream().map(Row::item).toList());
        this.rows = rows;
    }

    /**
     * @param data        the folder holding {@value #QUESTIONS_FILE}, or the file
     * @param images      the image folder; null for the questions' folder's {@code MMVP Images} or {@code MMVP Imgaes}
     * @param instruction after the options and a newline; null for {@link #DEFAULT_INSTRUCTION}, empty for none
     * @param limit       at most this many pairs (the first); 0 for all
     */
    public static MmvpBenchmark read(Path data, Path images, String instruction, int limit) throws IOException {
        return read(data, images, instruction, limit, null);
    }

    /** As {@link #read(Path, Path, String, int)}, graded by MMVP's GPT grader on this judge (null: the rule grader). */
    public static MmvpBenchmark read(Path data, Path images, String instruction, int limit, ChatClient judge) throws IOException {
        Path file = BenchmarkFiles.fileIn(data, QUESTIONS_FILE);
        BenchmarkFiles.requireFile(file);
        Path folder = images != null ? images : imageFolder(file.toAbsolutePath().getParent());
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException("--images " + folder + ": no such folder");
        String suffix = instruction == null ? DEFAULT_INSTRUCTION : instruction;
        List<Row> rows = readRows(file, folder, suffix, limit);
        return new MmvpBenchmark(rows, judge, file, folder, suffix, limit);
    }

    /** The GPT grader's question for one answer ({@code question4gpt} of {@code gpt_grader.py}). */
    static String graderQuestion(String prompt, String correctAnswer, String answer) {
        return "Given the following question " + prompt + ", the correct answer is " + correctAnswer
                + ". Does the following answer correctly answers the question, answer:" + answer + "?";
    }

    /** The GPT grader's reading of its judge: right only when the whole reply is "yes" (any case). */
    static boolean judgedRight(String reply) {
        Matcher m = YES_OR_NO.matcher(reply);
        return m.find() && m.group(1).equalsIgnoreCase("yes");
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        List<Boolean> right = grades(answers);
        int questionsRight = 0;
        int pairsRight = 0;
        for (int i = 0; i < rows.size(); i += 2) {
            questionsRight += (right.get(i) ? 1 : 0) + (right.get(i + 1) ? 1 : 0);
            if (right.get(i) && right.get(i + 1)) pairsRight++;
        }
        ArrayNode lines = Json.MAPPER.createArrayNode();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            ObjectNode line = lines.addObject();
            line.put("question_id", row.number());
            line.put("prompt", row.item().prompt());
            line.put("answer", row.correctAnswer());
            line.put("response", answers.get(row.item().id()));
            line.put("correct", right.get(i));
        }
        BenchmarkFiles.writeJsonLines(out.resolve("mmvp_answers.jsonl"), lines);
        int pairs = rows.size() / 2;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(NAME + "/pair_accuracy", (double) pairsRight / pairs);
        metrics.put(NAME + "/question_accuracy", (double) questionsRight / rows.size());
        metrics.put(NAME + "/pairs", (double) pairs);
        return metrics;
    }

    /** Per row, whether its answer is right: by the rule grader, or by asking the judge. */
    private List<Boolean> grades(Map<String, String> answers) throws IOException {
        if (judge() == null) return rows.stream().map(r -> OptionLetters.isCorrect(r.correctAnswer(), answers.get(r.item().id()))).toList();
        List<List<ChatMessage>> conversations = new ArrayList<>();
        for (Row r : rows) {
            conversations.add(List.of(ChatMessage.system(GRADER_SYSTEM),
                    ChatMessage.user(graderQuestion(r.item().prompt(), r.correctAnswer(), answers.get(r.item().id())))));
        }
        return judgeReplies(conversations, GRADER_TEMPERATURE).stream().map(MmvpBenchmark::judgedRight).toList();
    }

    private static Path imageFolder(Path questionsFolder) {
        for (String name : IMAGE_FOLDERS) {
            Path folder = questionsFolder.resolve(name);
            if (Files.isDirectory(folder)) return folder;
        }
        throw new IllegalArgumentException("--images: no folder '" + IMAGE_FOLDERS.get(0) + "' or '" + IMAGE_FOLDERS.get(1) + "' in "
                + questionsFolder + "; name the image folder with --images");
    }

    private static List<Row> readRows(Path file, Path images, String suffix, int limit) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        List<Row> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (String column : List.of(QUESTION, OPTIONS, CORRECT_ANSWER)) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new IllegalArgumentException(file + ": no column '" + column + "' (columns: " + parser.getHeaderNames() + ")");
                }
            }
            for (CSVRecord record : parser) {
                if (limit > 0 && rows.size() == 2 * limit) break;
                int number = rows.size() + 1;
                String where = file + ": record " + number;
                String question = field(record, QUESTION, where);
                String options = field(record, OPTIONS, where);
                String correct = field(record, CORRECT_ANSWER, where);
                String name = imageName(images, number);
                Path image = BenchmarkFiles.image(images, name, where, "image " + name);
                String prompt = withInstruction(question + " " + options, suffix);
                rows.add(new Row(number, correct, new BenchmarkItem(String.valueOf(number), image, prompt)));
            }
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": malformed CSV: " + e.getCause().getMessage());
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(file + ": no question");
        if (rows.size() % 2 != 0) {
            throw new IllegalArgumentException(file + ": " + rows.size() + " questions; MMVP pairs consecutive rows, so the count must be even");
        }
        return List.copyOf(rows);
    }

    /** {@code i.jpg} as published, or {@code i.png} when only that exists (lossless copies, as the synthetic world writes). */
    private static String imageName(Path images, int number) {
        String jpg = number + ".jpg";
        String png = number + ".png";
        return !Files.isRegularFile(images.resolve(jpg)) && Files.isRegularFile(images.resolve(png)) ? png : jpg;
    }

    private static String field(CSVRecord record, String column, String where) {
        if (!record.isSet(column)) throw new IllegalArgumentException(where + ": field '" + column + "' is missing");
        String value = record.get(column);
        if (value.isBlank()) throw new IllegalArgumentException(where + ": field '" + column + "' is empty");
        return value;
    }
}
