package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * POPE (Li et al., 2023) as published in {@code AoiDragon/POPE} {@code output/coco/coco_pope_{random,popular,adversarial}.json}:
 * JSON Lines of {@code {"question_id", "image", "text", "label": "yes"|"no"}}, images from COCO val2014. {@code --data}
 * is one split file or a folder of them ({@code <dataset>_pope_<split>.json[l]}); a split is named
 * {@code <dataset>/<split>} ({@code coco/adversarial}).
 *
 * <p>Scored as the reference {@code evaluate.py} does: an answer means "no" when its first sentence (the text before
 * the first '.'), commas removed and split at spaces, has the word {@code No}, {@code no} or {@code not}; anything else
 * is "yes". "yes" is the positive class; per split: accuracy, precision, recall, F1, yes-ratio. The answers are also
 * written as {@code <split file stem>_answers.jsonl} ({@code question_id}, {@code text}, {@code answer}) in the label
 * file's order, the pairing the reference script reads.
 */
public final class PopeBenchmark extends AbstractPublicBenchmark {
    public static final String NAME = "pope";
    /** LLaVA-1.5's POPE prompt: the question, a newline, then this. */
    public static final String DEFAULT_INSTRUCTION = "Answer the question using a single word or phrase.";
    private static final Pattern SPLIT_FILE = Pattern.compile("(.+)_pope_(.+)\\.jsonl?");
    private static final List<String> SPLIT_ORDER = List.of("random", "popular", "adversarial");
    private static final Set<String> NO_WORDS = Set.of("No", "not", "no");

    /** One question of a split file; {@code questionId} as written there (a number in the published files). */
    record Question(JsonNode questionId, String text, boolean labelYes, BenchmarkItem item) {}

    /** One split: its name ({@code coco/random}), file and questions in file order. */
    record Split(String name, Path file, List<Question> questions) {}

    private final List<Split> splits;

    private PopeBenchmark(List<Split> splits, Path data, Path images, String instruction, int limit) {
        super(NAME, data, images, instruction, limit, splits.stream().flatMap(s -> s.questions().stream()).map(Question::item).toList());
        this.splits = splits;
    }

    /**
     * Reads the split file(s) and checks every record and image before anything runs.
     *
     * @param instruction appended to each question after a newline; null for {@link #DEFAULT_INSTRUCTION}, empty for none
     * @param limit       at most this many questions per split (the first ones); 0 for all
     */
    public static PopeBenchmark read(Path data, Path images, String instruction, int limit) throws IOException {
        BenchmarkFiles.requireImageFolder(images, "POPE needs the COCO val2014 image folder");
        String suffix = instruction == null ? DEFAULT_INSTRUCTION : instruction;
        List<Split> splits = new ArrayList<>();
        for (Path file : splitFiles(data)) splits.add(readSplit(file, images, suffix, limit));
        return new PopeBenchmark(List.copyOf(splits), data, images, suffix, limit);
    }

    /**
     * POPE's reading of a free answer: true for "yes". The first sentence (up to the first '.'), commas dropped,
     * split at single spaces; "no" when one of the words is exactly {@code No}, {@code no} or {@code not}.
     */
    public static boolean saysYes(String answer) {
        String text = answer;
        int dot = text.indexOf('.');
        if (dot >= 0) text = text.substring(0, dot);
        text = text.replace(",", "");
        for (String word : text.split(" ", -1)) {
            if (NO_WORDS.contains(word)) return false;
        }
        return true;
    }

    List<Split> splits() {
        return splits;
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Split split : splits) {
            BinaryCounts counts = BinaryCounts.EMPTY;
            ArrayNode lines = Json.MAPPER.createArrayNode();
            for (Question question : split.questions()) {
                String answer = answers.get(question.item().id());
                counts = counts.add(question.labelYes(), saysYes(answer));
                ObjectNode line = lines.addObject();
                line.set("question_id", question.questionId());
                line.put("text", question.text());
                line.put("answer", answer);
            }
            metrics.putAll(counts.metrics(NAME + "/" + split.name()));
            metrics.put(NAME + "/" + split.name() + "/questions", (double) counts.total());
            String stem = split.file().getFileName().toString().replaceFirst("\\.jsonl?$", "");
            BenchmarkFiles.writeJsonLines(out.resolve(stem + "_answers.jsonl"), lines);
        }
        return metrics;
    }

    /** The split files: the file itself, or the folder's {@code *_pope_*.json[l]} in random, popular, adversarial order. */
    private static List<Path> splitFiles(Path data) throws IOException {
        if (Files.isRegularFile(data)) return List.of(data);
        if (!Files.isDirectory(data)) throw new IllegalArgumentException("--data " + data + ": no such file or folder");
        List<Path> files;
        try (Stream<Path> listing = Files.list(data)) {
            files = listing.filter(f -> Files.isRegularFile(f) && SPLIT_FILE.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path f) -> splitRank(f)).thenComparing(Path::toString)).toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException("--data " + data + ": no POPE split file (<dataset>_pope_<split>.json)");
        return files;
    }

    private static int splitRank(Path file) {
        Matcher m = SPLIT_FILE.matcher(file.getFileName().toString());
        int rank = m.matches() ? SPLIT_ORDER.indexOf(m.group(2)) : -1;
        return rank < 0 ? SPLIT_ORDER.size() : rank;
    }

    private static Split readSplit(Path file, Path images, String suffix, int limit) throws IOException {
        String fileName = file.getFileName().toString();
        Matcher m = SPLIT_FILE.matcher(fileName);
        String name = m.matches() ? m.group(1) + "/" + m.group(2) : fileName.replaceFirst("\\.jsonl?$", "");
        return new Split(name, file, BenchmarkFiles.readJsonLines(file, "question_id", limit,
                (questionId, record, where) -> question(name, questionId, record, where, images, suffix)));
    }

    private static Question question(String split, String questionId, JsonNode record, String where, Path images, String suffix) {
        String text = BenchmarkFiles.text(record, "text", where);
        String label = BenchmarkFiles.text(record, "label", where);
        if (!label.equals("yes") && !label.equals("no")) {
            throw new IllegalArgumentException(where + ": field 'label' must be \"yes\" or \"no\", got \"" + label + "\"");
        }
        Path image = BenchmarkFiles.image(images, BenchmarkFiles.text(record, "image", where), where, "image");
        return new Question(record.get("question_id"), text, label.equals("yes"),
                new BenchmarkItem(split + "#" + questionId, image, withInstruction(text, suffix)));
    }
}
