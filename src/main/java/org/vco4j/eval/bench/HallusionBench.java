package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * HallusionBench (Guan et al., 2024) as published in {@code tianyi-lab/HallusionBench}: {@code HallusionBench.json}, a
 * list of {@code category} (VD: visual dependent, VS: visual supplement), {@code subcategory}, {@code visual_input}
 * ("0" = asked without an image), {@code set_id}, {@code figure_id}, {@code question_id}, {@code question},
 * {@code gt_answer_details}, {@code gt_answer} ("1" yes, "0" no) and {@code filename} (relative to {@code --images},
 * e.g. {@code ./hallusion_bench/VD/ocr/0_0.png}; null without an image).
 *
 * <p>Each answer gets the reference's correctness code ("1" correct, "0" incorrect, "2" unclear): with a judge, from
 * {@code utils.py}'s {@code evaluate_by_chatgpt} prompt ("incorrect" in the reply → 0, else "correct" → 1, else 2);
 * without, by VLMEvalKit's yes/no extraction (the reply's words hold "yes" and not "no", or the reverse; otherwise
 * unclear) compared with {@code gt_answer}. Then as {@code evaluation.py}: a VS question asked without its figure counts
 * as correct when correct or unclear, every other question only when correct. Metrics (percentages, as the reference
 * prints them): {@code hallusion/aacc} (per question; also {@code vd/aacc}, {@code vs/aacc}), {@code hallusion/facc} (per
 * figure: every question about the figure right), {@code hallusion/qacc} (per question pair: the same question right
 * on every figure of its set) with its {@code easy_qacc} (original figures) and {@code hard_qacc} (edited figures); the same
 * per category ({@code hallusion/vd/...}, {@code hallusion/vs/...}) with the per-figure wrong share and score of
 * {@code evaluation.py}'s tables, and aAcc/fAcc/qAcc per subcategory ({@code hallusion/VD_ocr/...}); summary.md shows
 * them as the reference's tables. The
 * language-hallucination / visual-illusion analysis, which needs a second judge call per answer, is not computed.
 * Written next to the summary: {@code HallusionBench_result.json}, the records with {@code model_prediction} and the
 * correctness code, the reference's input and output.
 */
public final class HallusionBench extends JudgedBenchmark {
    public static final String NAME = "hallusion";
    public static final String DATA_FILE = "HallusionBench.json";
    static final String JUDGE_PROMPT = "Imagine you are an intelligent teacher. Thoroughly read the question, reference answer and the prediction answer "
            + "to ensure a clear understanding of the information provided. Assess the correctness of the predictions. If the prediction answer "
            + "does not conflict with the reference answer, please generate “correct”. If the prediction answer conflict with the reference "
            + "answer, please generate “incorrect”. If the prediction answer is unclear about the answer, please generate \"unclear\". \n\n Question:";

    /** One record (kept whole for the result file) and the item asked. */
    record Question(ObjectNode record, String category, String subcategory, String setId, String figureId, String questionId,
                    BenchmarkItem item) {
        String figureKey() {
            return String.join("_", category, subcategory, setId, figureId);
        }

        String pairKey() {
            return String.join("_", category, subcategory, setId, questionId);
        }

        boolean original() {
            return figureId.equals("0");
        }

        /** False for a VS question's figure 0, which is no figure (asked without one). */
        boolean hasFigure() {
            return !(category.equals("VS") && original());
        }
    }

    private final List<Question> questions;

    private HallusionBench(List<Question> questions, ChatClient judge, Path data, Path images, String instruction, int limit) {
        super(NAME, judge, "rule (yes/no extraction)", data, images, instruction, limit, questions.stream().map(Question::item).toList());
        this.questions = questions;
    }

    /** @param judge the judge of the reference's correctness prompt; null for the yes/no rule */
    public static HallusionBench read(Path data, Path images, String instruction, int limit, ChatClient judge) throws IOException {
        Path file = BenchmarkFiles.fileIn(data, DATA_FILE);
        Path folder = images != null ? images : file.toAbsolutePath().getParent();
        String suffix = instruction == null ? "" : instruction;
        List<Question> questions = BenchmarkFiles.readJsonArray(file, "record", "records", limit,
                (index, record, where) -> question(index, record, where, folder, suffix));
        return new HallusionBench(questions, judge, file, folder, suffix, limit);
    }

    private static Question question(int index, ObjectNode r, String where, Path folder, String suffix) {
        String category = BenchmarkFiles.text(r, "category", where);
        if (!category.equals("VD") && !category.equals("VS")) {
            throw new IllegalArgumentException(where + ": field 'category' must be \"VD\" or \"VS\", got \"" + category + "\"");
        }
        String gt = BenchmarkFiles.id(r, "gt_answer", where);
        if (!gt.equals("0") && !gt.equals("1")) throw new IllegalArgumentException(where + ": field 'gt_answer' must be \"0\" or \"1\", got \"" + gt + "\"");
        BenchmarkFiles.text(r, "gt_answer_details", where);
        String visualInput = BenchmarkFiles.id(r, "visual_input", where);
        Path image = null;
        if (!visualInput.equals("0")) image = BenchmarkFiles.image(folder, BenchmarkFiles.text(r, "filename", where), where, "filename");
        String question = BenchmarkFiles.text(r, "question", where);
        return new Question(r, category, BenchmarkFiles.text(r, "subcategory", where), BenchmarkFiles.id(r, "set_id", where),
                BenchmarkFiles.id(r, "figure_id", where), BenchmarkFiles.id(r, "question_id", where),
                new BenchmarkItem(String.valueOf(index), image, withInstruction(question, suffix)));
    }

    /** VLMEvalKit's reading of a yes/no answer: "Yes", "No" or "Unknown". */
    static String yesOrNo(String answer) {
        List<String> words = Arrays.asList(answer.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s]", " ").split("\\s+"));
        boolean yes = words.contains("yes");
        boolean no = words.contains("no");
        if (yes && !no) return "Yes";
        if (no && !yes) return "No";
        return "Unknown";
    }

    /** The rule's correctness code: "1" when the yes/no answer is the truth, "2" when unclear, else "0". */
    static String ruleCorrectness(String gtAnswer, String answer) {
        String said = yesOrNo(answer);
        if (said.equals("Unknown")) return "2";
        return said.equals(gtAnswer.equals("1") ? "Yes" : "No") ? "1" : "0";
    }

    /** The reference's reading of its judge: "incorrect" → "0", else "correct" → "1", else "2". */
    static String judgedCorrectness(String reply) {
        String lower = reply.toLowerCase(Locale.ROOT);
        if (lower.contains("incorrect")) return "0";
        if (lower.contains("correct")) return "1";
        return "2";
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        List<String> codes = correctness(answers);
        ArrayNode result = Json.MAPPER.createArrayNode();
        for (int i = 0; i < questions.size(); i++) {
            result.add(questions.get(i).record().deepCopy().put("model_prediction", answers.get(questions.get(i).item().id()))
                    .put("gpt4v_output_gpt_check", codes.get(i)));
        }
        AtomicFiles.write(out.resolve("HallusionBench_result.json"), Json.PRETTY.writeValueAsBytes(result));
        return metrics(codes);
    }

    private List<String> correctness(Map<String, String> answers) throws IOException {
        if (judge() == null) {
            return questions.stream().map(q -> ruleCorrectness(q.record().get("gt_answer").asText(), answers.get(q.item().id()))).toList();
        }
        List<List<ChatMessage>> conversations = new ArrayList<>();
        for (Question q : questions) {
            conversations.add(List.of(ChatMessage.user(JUDGE_PROMPT + q.record().get("question").asText() + "\nReference answer: "
                    + q.record().get("gt_answer_details").asText() + "\nPrediction answer:" + answers.get(q.item().id()) + "\nOutput:")));
        }
        return judgeReplies(conversations, 1.0).stream().map(HallusionBench::judgedCorrectness).toList();
    }

    /**
     * The reference's accuracies from the correctness codes, in question order: overall, per category (VD, VS) as
     * {@code evaluation.py}'s three tables give them (per question; per question pair easy, hard and total; per figure
     * correct, wrong = inconsistent + wrong, and score = mean share of a figure's questions right), and per
     * subcategory ({@code hallusion/VD_ocr/aacc}, ...) aAcc, fAcc and qAcc as VLMEvalKit splits them.
     */
    Map<String, Double> metrics(List<String> codes) {
        boolean[] correct = new boolean[questions.size()];
        for (int i = 0; i < correct.length; i++) {
            Question q = questions.get(i);
            boolean withoutFigure = q.category().equals("VS") && q.original();
            correct[i] = codes.get(i).equals("1") || (withoutFigure && codes.get(i).equals("2"));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        accuracies(metrics, NAME, correct, q -> true);
        for (String category : CATEGORIES) accuracies(metrics, NAME + "/" + category.toLowerCase(Locale.ROOT), correct, q -> q.category().equals(category));
        for (String split : subcategories()) {
            Predicate<Question> in = q -> (q.category() + "_" + q.subcategory()).equals(split);
            metrics.put(NAME + "/" + split + "/aacc", questionAccuracy(correct, in));
            metrics.put(NAME + "/" + split + "/facc", groupAccuracy(correct, in.and(Question::hasFigure), Question::figureKey));
            metrics.put(NAME + "/" + split + "/qacc", groupAccuracy(correct, in, Question::pairKey));
            metrics.put(NAME + "/" + split + "/questions", (double) questions.stream().filter(in).count());
        }
        metrics.put(NAME + "/questions", (double) questions.size());
        return metrics;
    }

    private static final List<String> CATEGORIES = List.of("VD", "VS");

    /** {@code CATEGORY_subcategory} of every question, in first-seen order. */
    private List<String> subcategories() {
        return questions.stream().map(q -> q.category() + "_" + q.subcategory()).distinct().toList();
    }

    /** aAcc, fAcc (with the figures' wrong share and score), qAcc with easy and hard, under {@code prefix}. */
    private void accuracies(Map<String, Double> metrics, String prefix, boolean[] correct, Predicate<Question> in) {
        metrics.put(prefix + "/aacc", questionAccuracy(correct, in));
        metrics.put(prefix + "/facc", groupAccuracy(correct, in.and(Question::hasFigure), Question::figureKey));
        metrics.put(prefix + "/qacc", groupAccuracy(correct, in, Question::pairKey));
        metrics.put(prefix + "/easy_qacc", groupAccuracy(correct, in.and(Question::original), Question::pairKey));
        metrics.put(prefix + "/hard_qacc", groupAccuracy(correct, in.and(q -> !q.original()), Question::pairKey));
        Map<String, int[]> figures = new LinkedHashMap<>();
        for (int i = 0; i < correct.length; i++) {
            Question q = questions.get(i);
            if (in.test(q) && q.hasFigure()) {
                int[] tally = figures.computeIfAbsent(q.figureKey(), k -> new int[2]);
                if (correct[i]) tally[0]++;
                tally[1]++;
            }
        }
        long notAllRight = figures.values().stream().filter(t -> t[0] < t[1]).count();
        double score = figures.values().stream().mapToDouble(t -> (double) t[0] / t[1]).sum();
        metrics.put(prefix + "/figure_wrong", figures.isEmpty() ? Double.NaN : 100.0 * notAllRight / figures.size());
        metrics.put(prefix + "/figure_score", figures.isEmpty() ? Double.NaN : score / figures.size());
    }

    @Override
    public String summaryTables(Map<String, Double> m) {
        StringBuilder md = new StringBuilder("\n## HallusionBench by category (evaluation.py's tables)\n\n");
        md.append("| per question | Total |\n|---|---:|\n");
        for (String row : List.of("VD", "VS", "Overall")) md.append("| ").append(row).append(" | ").append(cell(m, prefix(row) + "/aacc")).append(" |\n");
        md.append("\n| per question pair | Easy | Hard | Total |\n|---|---:|---:|---:|\n");
        for (String row : List.of("VD", "VS", "Overall")) {
            md.append("| ").append(row).append(" | ").append(cell(m, prefix(row) + "/easy_qacc")).append(" | ").append(cell(m, prefix(row) + "/hard_qacc"))
                    .append(" | ").append(cell(m, prefix(row) + "/qacc")).append(" |\n");
        }
        md.append("\n| per figure | Correct | Wrong | Score |\n|---|---:|---:|---:|\n");
        for (String row : List.of("VD", "VS", "Overall")) {
            md.append("| ").append(row).append(" | ").append(cell(m, prefix(row) + "/facc")).append(" | ").append(cell(m, prefix(row) + "/figure_wrong"))
                    .append(" | ").append(cell(m, prefix(row) + "/figure_score")).append(" |\n");
        }
        md.append("\n## HallusionBench by subcategory\n\n| subcategory | questions | aAcc | fAcc | qAcc |\n|---|---:|---:|---:|---:|\n");
        for (String split : subcategories()) {
            md.append("| ").append(split).append(" | ").append(m.get(NAME + "/" + split + "/questions").intValue()).append(" | ")
                    .append(cell(m, NAME + "/" + split + "/aacc")).append(" | ").append(cell(m, NAME + "/" + split + "/facc")).append(" | ")
                    .append(cell(m, NAME + "/" + split + "/qacc")).append(" |\n");
        }
        return md.toString();
    }

    private static String prefix(String row) {
        return row.equals("Overall") ? NAME : NAME + "/" + row.toLowerCase(Locale.ROOT);
    }

    /** A value as the reference rounds it (4 decimals); "-" where undefined. */
    private static String cell(Map<String, Double> metrics, String name) {
        Double value = metrics.get(name);
        return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    private double questionAccuracy(boolean[] correct, Predicate<Question> kept) {
        int right = 0;
        int total = 0;
        for (int i = 0; i < correct.length; i++) {
            if (!kept.test(questions.get(i))) continue;
            total++;
            if (correct[i]) right++;
        }
        return total == 0 ? Double.NaN : 100.0 * right / total;
    }

    /** Percentage of groups (figures or question pairs) whose every kept question is right. */
    private double groupAccuracy(boolean[] correct, Predicate<Question> kept, java.util.function.Function<Question, String> key) {
        Map<String, Boolean> groups = new LinkedHashMap<>();
        for (int i = 0; i < correct.length; i++) {
            Question q = questions.get(i);
            if (kept.test(q)) groups.merge(key.apply(q), correct[i], Boolean::logicalAnd);
        }
        if (groups.isEmpty()) return Double.NaN;
        return 100.0 * groups.values().stream().filter(b -> b).count() / groups.size();
    }
}
