package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Object HalBench as RLHF-V publishes and scores it ("objhal" in its code): the question file
 * {@code eval/data/obj_halbench_300_with_image.jsonl} (one JSON object per line: {@code image_id}, the COCO 2014 image,
 * {@code question}, a prompt asking for a detailed description, and {@code image}, the image's bytes in base64; a file
 * without {@code image} takes the image from {@code --images} by the file name COCO's annotations give the id), scored
 * with CHAIR against the COCO 2014 annotations of {@code --annotations} (instances and captions of val2014 and, when
 * present, train2014, which {@code eval_gpt_obj_halbench.py} combines). Embedded images are decoded into
 * {@code OUT/objhal_images/} when the file is read.
 *
 * <p>The CHAIR reading and counting are {@link ChairBenchmark}'s. Metrics, with the names of RLHF-V's
 * {@code summarize_gpt_obj_halbench_review.py} in brackets: {@code objhal/chair_s_refine} (Response Hall: responses
 * with a hallucinated object / responses naming any COCO object), {@code objhal/chair_s} (CHAIRs: over all responses),
 * {@code objhal/chair_i} (Object Hall: hallucinated object words / object words), {@code objhal/recall} (Object
 * Recall), {@code objhal/avg_length} (words per response, split at spaces) and the counts. Written next to the summary:
 * {@code obj_halbench_answer.jsonl} ({@code image_id}, {@code question}, {@code answer}: the answer file the script
 * reads) and {@code hall_obj_halbench_answer_-1.json}, its output ({@code sentences}, {@code overall_metrics}).
 *
 * <p>One difference from the published numbers: RLHF-V runs the script with {@code --use_gpt}, where GPT-3.5 first
 * extracts the objects of each answer; without that flag the script reads the answer's words itself, and that rule
 * path is what this implements, with the word reading of {@code chair} (pattern.en singulars and chair.py's synonym
 * list, where RLHF-V's script uses WordNet lemmas and its refined synonym list).
 */
public final class ObjectHalBench extends AbstractPublicBenchmark {
    public static final String NAME = "objhal";
    static final String IMAGE_FOLDER = "objhal_images";

    /** One question: its line's image id and ground-truth objects. */
    record Question(long imageId, String question, Set<String> groundTruth, BenchmarkItem item) {}

    private final CocoObjectWords words;
    private final List<Question> questions;

    private ObjectHalBench(CocoObjectWords words, List<Question> questions, Path data, Path images, String instruction, int limit) {
        super(NAME, Map.of("grader", "CHAIR on COCO 2014 annotations (the script's rule path, without --use_gpt)"), data, images,
                instruction, limit, questions.stream().map(Question::item).toList());
        this.words = words;
        this.questions = questions;
    }

    /**
     * Reads the question file and the ground truth of its images; embedded images are written to
     * {@code out/objhal_images/} once everything has been checked.
     *
     * @param images      the COCO image folder, needed only when lines carry no {@code image}
     * @param annotations the folder of COCO 2014's {@code instances_*.json} and {@code captions_*.json}
     * @param instruction added after each question on a new line; null or empty for none (the published prompts)
     * @param limit       at most this many questions; 0 for all
     */
    public static ObjectHalBench read(Path data, Path images, Path annotations, Path out, String instruction, int limit) throws IOException {
        if (annotations == null) throw new IllegalArgumentException("--annotations: Object HalBench needs the folder of COCO 2014's annotation files");
        List<BenchmarkFiles.Line> lines = new ArrayList<>();
        for (BenchmarkFiles.Line line : BenchmarkFiles.jsonLines(data)) {
            if (limit > 0 && lines.size() == limit) break;
            lines.add(line);
        }
        if (lines.isEmpty()) throw new IllegalArgumentException(data + ": no question");
        Set<Long> ids = new LinkedHashSet<>();
        List<byte[]> embedded = new ArrayList<>();
        for (BenchmarkFiles.Line line : lines) {
            ids.add(imageId(line));
            BenchmarkFiles.text(line.node(), "question", line.where());
            embedded.add(image(line));
        }
        if (embedded.contains(null)) BenchmarkFiles.requireImageFolder(images, "the question file has lines without 'image'; give the COCO images");

        CocoObjectWords words = new CocoObjectWords();
        CocoAnnotations.GroundTruth truth = CocoAnnotations.read(annotations, "--annotations", image -> ids.contains(image.id()), words);
        String suffix = instruction == null ? "" : instruction;
        Path folder = out.resolve(IMAGE_FOLDER);
        List<Question> questions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            BenchmarkFiles.Line line = lines.get(i);
            long imageId = imageId(line);
            CocoAnnotations.Image known = truth.images().get(imageId);
            if (known == null) {
                throw new IllegalArgumentException(line.where() + ": field 'image_id': " + imageId + " is in none of the COCO 2014 caption files of "
                        + annotations);
            }
            byte[] bytes = embedded.get(i);
            Path image = bytes != null ? folder.resolve(imageId + extension(bytes))
                    : BenchmarkFiles.image(images, known.fileName(), line.where(), "image_id");
            String question = BenchmarkFiles.text(line.node(), "question", line.where());
            questions.add(new Question(imageId, question, truth.objects().getOrDefault(imageId, Set.of()),
                    new BenchmarkItem(String.valueOf(i), image, withInstruction(question, suffix))));
        }
        for (int i = 0; i < questions.size(); i++) {
            Path image = questions.get(i).item().image();
            if (embedded.get(i) != null && !java.nio.file.Files.exists(image)) AtomicFiles.write(image, embedded.get(i));
        }
        return new ObjectHalBench(words, List.copyOf(questions), data, embedded.contains(null) ? images : folder, suffix, limit);
    }

    private static long imageId(BenchmarkFiles.Line line) {
        String id = BenchmarkFiles.id(line.node(), "image_id", line.where());
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(line.where() + ": field 'image_id' must be a COCO image id (an integer), got '" + id + "'");
        }
    }

    /** The line's embedded image, or null when it has none. */
    private static byte[] image(BenchmarkFiles.Line line) {
        JsonNode value = line.node().get("image");
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw new IllegalArgumentException(line.where() + ": field 'image' must be base64 text, got " + Json.kind(value));
        try {
            return Base64.getMimeDecoder().decode(value.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(line.where() + ": field 'image' is not base64: " + e.getMessage());
        }
    }

    private static String extension(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') return ".png";
        return ".jpg";
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        List<ChairBenchmark.Sentence> sentences = new ArrayList<>();
        ArrayNode answerLines = Json.MAPPER.createArrayNode();
        long words = 0;
        for (Question q : questions) {
            String answer = answers.get(q.item().id());
            sentences.add(ChairBenchmark.sentence(this.words, q.imageId(), answer, q.groundTruth()));
            words += answer.strip().split(" ", -1).length;
            answerLines.addObject().put("image_id", q.imageId()).put("question", q.question()).put("answer", answer);
        }
        ChairBenchmark.Totals totals = ChairBenchmark.Totals.of(sentences);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(NAME + "/chair_s_refine", ChairBenchmark.ratio(totals.hallucinatedCaptions(), totals.captionsWithObjects()));
        metrics.put(NAME + "/chair_s", totals.chairS());
        metrics.put(NAME + "/chair_i", totals.chairI());
        metrics.put(NAME + "/recall", totals.recall());
        metrics.put(NAME + "/avg_length", (double) words / sentences.size());
        metrics.put(NAME + "/responses_with_objects", (double) totals.captionsWithObjects());
        metrics.put(NAME + "/object_words", (double) totals.objectWords());
        metrics.put(NAME + "/responses", (double) totals.captions());
        BenchmarkFiles.writeJsonLines(out.resolve("obj_halbench_answer.jsonl"), answerLines);
        writeResult(out.resolve("hall_obj_halbench_answer_-1.json"), sentences, totals, metrics);
        return metrics;
    }

    /** The script's output: per-sentence records and {@code overall_metrics} under its own names. */
    private static void writeResult(Path file, List<ChairBenchmark.Sentence> sentences, ChairBenchmark.Totals totals,
                                    Map<String, Double> metrics) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("sentences");
        for (ChairBenchmark.Sentence s : sentences) list.add(ChairBenchmark.sentenceJson(s));
        ObjectNode overall = root.putObject("overall_metrics");
        ChairBenchmark.putNumber(overall, "CHAIRs", metrics.get(NAME + "/chair_s"));
        ChairBenchmark.putNumber(overall, "CHAIRs_refine", metrics.get(NAME + "/chair_s_refine"));
        ChairBenchmark.putNumber(overall, "CHAIRi", metrics.get(NAME + "/chair_i"));
        ChairBenchmark.putNumber(overall, "obj_rec", metrics.get(NAME + "/recall"));
        overall.put("sentence_num", totals.captions());
        overall.put("coco_sentence_num", totals.captionsWithObjects());
        overall.put("coco_word_count", totals.recalled());
        overall.put("gt_word_count", totals.groundTruth());
        ChairBenchmark.putNumber(overall, "avg_word_len", metrics.get(NAME + "/avg_length"));
        ChairBenchmark.putNumber(overall, "correct_rate", 1 - metrics.get(NAME + "/chair_s_refine"));
        ChairBenchmark.putNumber(overall, "object_correct_rate", 1 - metrics.get(NAME + "/chair_i"));
        AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(root));
    }
}
