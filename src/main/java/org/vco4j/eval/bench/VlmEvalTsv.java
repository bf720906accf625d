package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multiple-choice benchmark in VLMEvalKit's TSV format (MMBench, SEED-Bench, AI2D, MMStar, CV-Bench and the other
 * {@code ImageMCQDataset}s): columns {@code index}, {@code question}, the options {@code A}, {@code B}, ... (empty for
 * absent ones), {@code answer} (a letter), optional {@code hint}, {@code category}, and {@code image} — base64 image
 * bytes, or, when at most 64 characters, the {@code index} of the row whose image it shares (as VLMEvalKit reads it).
 * The images are decoded into {@code OUT/tsv_images/} when the file is read.
 *
 * <p>The prompt is {@code ImageMCQDataset.build_prompt}'s: "Hint: …" (if any), "Question: …", "Options:" with one
 * "X. text" line per option, "Please select the correct answer from the options above. ". Graded by VLMEvalKit's exact
 * matching ({@link ChoiceInference}). Metrics: {@code vlmeval/accuracy} and per {@code category}; a file with circular
 * copies (MMBench: index + k·1,000,000 for the shifted options) also gives {@code vlmeval/circular_accuracy}, a
 * question counting only when every copy is right. {@code predictions.jsonl} holds the answer, the inferred option and
 * the hit per row.
 */
public final class VlmEvalTsv extends AbstractPublicBenchmark {
    public static final String NAME = "vlmeval";
    static final String IMAGE_FOLDER = "tsv_images";
    private static final long CIRCULAR = 1_000_000L;

    /** One row: its index, options, correct letter, category and the item asked. */
    record Row(long index, Map<String, String> choices, String answer, String category, BenchmarkItem item) {}

    private final List<Row> rows;

    private VlmEvalTsv(List<Row> rows, Path data, Path images, String instruction, int limit) {
        super(NAME, Map.of("grader", "exact matching (VLMEvalKit can_infer)"), data, images, instruction, limit, rows.stream().map(Row::item).toList());
        this.rows = rows;
    }

    /**
     * Reads and checks the whole file, then decodes its images into {@code out/tsv_images/} (nothing is written for a
     * bad file).
     */
    public static VlmEvalTsv read(Path file, Path out, String instruction, int limit) throws IOException {
        BenchmarkFiles.requireFile(file);
        List<CSVRecord> records = new ArrayList<>();
        List<String> letters = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(file, StandardCharsets.UTF_8,
                CSVFormat.TDF.builder().setHeader().setSkipHeaderRecord(true).setIgnoreSurroundingSpaces(false).build())) {
            for (String column : List.of("index", "question", "answer", "image", "A", "B")) {
                if (!parser.getHeaderMap().containsKey(column)) {
                    throw new IllegalArgumentException(file + ": no column '" + column + "' (columns: " + parser.getHeaderNames()
                            + "); only VLMEvalKit's multiple-choice TSVs are read");
                }
            }
            for (char c = 'A'; c <= 'Z'; c++) if (parser.getHeaderMap().containsKey(String.valueOf(c))) letters.add(String.valueOf(c));
            for (CSVRecord record : parser) {
                if (limit > 0 && records.size() == limit) break;
                records.add(record);
            }
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": malformed TSV: " + e.getCause().getMessage());
        }
        if (records.isEmpty()) throw new IllegalArgumentException(file + ": no row");
        Map<String, byte[]> images = images(file, records);
        String suffix = instruction == null ? "Please select the correct answer from the options above. \n" : instruction;
        Path folder = out.resolve(IMAGE_FOLDER);
        List<Row> rows = new ArrayList<>();
        for (CSVRecord record : records) {
            String where = file + ": row " + record.getRecordNumber();
            long index = index(record, where);
            Map<String, String> choices = new LinkedHashMap<>();
            for (String letter : letters) if (record.isSet(letter) && !record.get(letter).isEmpty() && !record.get(letter).equals("nan")) choices.put(letter, record.get(letter));
            field(record, "question", where);
            String answer = field(record, "answer", where);
            if (!choices.containsKey(answer)) throw new IllegalArgumentException(where + ": field 'answer' is '" + answer + "', not one of the options " + choices.keySet());
            String category = record.isMapped("category") && record.isSet("category") ? record.get("category") : "";
            byte[] bytes = images.get(String.valueOf(index));
            Path image = folder.resolve(index + extension(bytes));
            rows.add(new Row(index, choices, answer, category, new BenchmarkItem(String.valueOf(index), image, prompt(record, choices, suffix))));
        }
        for (Row row : rows) {
            if (!Files.exists(row.item().image())) AtomicFiles.write(row.item().image(), images.get(String.valueOf(row.index())));
        }
        return new VlmEvalTsv(List.copyOf(rows), file, folder, suffix, limit);
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        AccuracyTally byCategory = new AccuracyTally();
        Map<Long, Boolean> circular = new LinkedHashMap<>();
        int hits = 0;
        boolean hasCopies = false;
        ArrayNode lines = Json.MAPPER.createArrayNode();
        for (Row row : rows) {
            String prediction = answers.get(row.item().id());
            String inferred = ChoiceInference.infer(prediction, row.choices());
            boolean hit = row.answer().equals(inferred);
            if (hit) hits++;
            byCategory.add(row.category(), hit);
            circular.merge(row.index() % CIRCULAR, hit, Boolean::logicalAnd);
            hasCopies |= row.index() >= CIRCULAR;
            lines.addObject().put("index", row.index()).put("prediction", prediction).put("inferred", inferred).put("answer", row.answer()).put("hit", hit);
        }
        BenchmarkFiles.writeJsonLines(out.resolve("predictions.jsonl"), lines);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(NAME + "/accuracy", (double) hits / rows.size());
        if (hasCopies) metrics.put(NAME + "/circular_accuracy", (double) circular.values().stream().filter(b -> b).count() / circular.size());
        metrics.put(NAME + "/questions", (double) rows.size());
        if (byCategory.keys().size() > 1 || !byCategory.keys().contains("")) {
            byCategory.keys().forEach(category -> metrics.put(NAME + "/category/" + category + "/accuracy", byCategory.accuracy(category)));
        }
        return metrics;
    }

    /** ImageMCQDataset.build_prompt: hint, question, lettered options, then the instruction. */
    private static String prompt(CSVRecord record, Map<String, String> choices, String instruction) {
        StringBuilder prompt = new StringBuilder();
        if (record.isMapped("hint") && record.isSet("hint") && !record.get("hint").isEmpty() && !record.get("hint").equals("nan")) {
            prompt.append("Hint: ").append(record.get("hint")).append('\n');
        }
        prompt.append("Question: ").append(field(record, "question", "row " + record.getRecordNumber())).append('\n');
        prompt.append("Options:\n");
        choices.forEach((letter, text) -> prompt.append(letter).append(". ").append(text).append('\n'));
        return prompt.append(instruction).toString();
    }

    /** Each row's image bytes by index, references (≤ 64 characters) resolved to the row they name. */
    private static Map<String, byte[]> images(Path file, List<CSVRecord> records) {
        Map<String, String> encoded = new HashMap<>();
        for (CSVRecord record : records) encoded.put(field(record, "index", file + ": row " + record.getRecordNumber()), field(record, "image", file + ": row " + record.getRecordNumber()));
        Map<String, byte[]> images = new HashMap<>();
        for (CSVRecord record : records) {
            String where = file + ": row " + record.getRecordNumber();
            String index = record.get("index");
            String value = encoded.get(index);
            if (value.length() <= 64) {
                String target = encoded.get(value);
                if (target == null || target.length() <= 64) {
                    throw new IllegalArgumentException(where + ": field 'image' refers to row index " + value + ", which holds no image");
                }
                value = target;
            }
            try {
                images.put(index, Base64.getMimeDecoder().decode(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": field 'image' is not base64: " + e.getMessage());
            }
        }
        return images;
    }

    private static String extension(byte[] bytes) {
        if (bytes.length > 3 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') return ".png";
        return ".jpg";
    }

    private static long index(CSVRecord record, String where) {
        String value = field(record, "index", where);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": field 'index' must be an integer, got '" + value + "'");
        }
    }

    private static String field(CSVRecord record, String column, String where) {
        if (!record.isSet(column) || record.get(column).isEmpty()) throw new IllegalArgumentException(where + ": field '" + column + "' is empty");
        return record.get(column);
    }
}
