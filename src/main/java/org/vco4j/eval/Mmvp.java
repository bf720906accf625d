package org.vco4j.eval;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.vco4j.common.AtomicFiles;
import org.vco4j.eval.bench.BenchmarkItem;
import org.vco4j.eval.bench.MmvpBenchmark;
import org.vco4j.model.processing.Context;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MMVP-style pairs (Tong et al., 2024) on the synthetic world, through the public benchmark's own files and code:
 * one question about two minimally different images whose right answers differ, written as MMVP's
 * {@code Questions.csv} ({@code Question}, {@code Options} "(a) red (b) blue", {@code Correct Answer} "(a)"; rows
 * 2p+1 and 2p+2 are pair p's two images) with the images as {@code MMVP Images/<row>.png} (lossless; {@code .jpg} for
 * JPEG sources), read back by
 * {@link MmvpBenchmark}, answered by forced choice among the options (the chosen option's letter is the answer) and
 * graded by its rule grader; a pair counts only when both of its images are answered right. Metrics:
 * {@code mmvp/pair_accuracy}, {@code mmvp/question_accuracy}, {@code mmvp/pairs}, and the same per kind of pair
 * ({@code mmvp/color/pair_accuracy}, ...), each kind scored from a benchmark folder of its own.
 */
public final class Mmvp {
    /** One pair's answers: {@code chosen.get(i)} is the answer picked for image i. */
    public record Outcome(String id, String kind, String question, List<String> answers, List<String> chosen) {
        public boolean right(int image) {
            return chosen.get(image).equals(answers.get(image));
        }
    }

    private final ForcedChoice choice;
    private final List<MmvpPair> pairs;
    private final Path folder;
    /** Per benchmark folder (all pairs first, then one per kind): the benchmark read back and its pairs in row order. */
    private final Map<String, MmvpBenchmark> benchmarks = new LinkedHashMap<>();
    private final Map<String, List<MmvpPair>> pairsOf = new LinkedHashMap<>();

    /** @param folder where the benchmark folders go ({@code all/}, {@code <kind>/}), each with its answers */
    public Mmvp(ForcedChoice choice, List<MmvpPair> pairs, Path folder) {
        this.choice = choice;
        this.pairs = List.copyOf(pairs);
        this.folder = folder;
    }

    /** Every pair, with its images or (for the visual-dependency measurement) with no image at all. */
    public EvalResult run(boolean withImages, EvalProgress progress) throws IOException {
        write();
        // Every question is decided once, on the images as the reader of the folder of all pairs resolved them.
        MmvpBenchmark all = benchmarks.get("all");
        List<ForcedChoice.Question> questions = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            MmvpPair pair = pairs.get(p);
            for (int i = 0; i < 2; i++) {
                BenchmarkItem item = all.items().get(2 * p + i);
                Context condition = withImages ? WorldQuestions.withImage(item.image(), pair.question()) : WorldQuestions.withoutImage(pair.question());
                questions.add(new ForcedChoice.Question(pair.id() + "#" + i, condition, pair.candidates()));
            }
        }
        List<ForcedChoice.Decision> decisions = choice.decide(questions, withImages ? "mmvp" : "mmvp without image", progress);
        Map<String, Integer> chosen = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (int p = 0; p < pairs.size(); p++) {
            MmvpPair pair = pairs.get(p);
            int a = decisions.get(2 * p).chosen();
            int b = decisions.get(2 * p + 1).chosen();
            chosen.put(pair.id() + "#0", a);
            chosen.put(pair.id() + "#1", b);
            outcomes.add(new Outcome(pair.id(), pair.kind(), pair.question(), pair.answers(), List.of(pair.candidates().get(a), pair.candidates().get(b))));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, MmvpBenchmark> entry : benchmarks.entrySet()) {
            List<MmvpPair> rows = pairsOf.get(entry.getKey());
            Map<String, String> answers = new LinkedHashMap<>();
            List<BenchmarkItem> items = entry.getValue().items();
            for (int r = 0; r < items.size(); r++) {
                answers.put(items.get(r).id(), option(chosen.get(rows.get(r / 2).id() + "#" + (r % 2))));
            }
            Path out = folder.resolve(entry.getKey()).resolve(withImages ? "answers" : "answers-without-image");
            Files.createDirectories(out);
            String prefix = entry.getKey().equals("all") ? MmvpBenchmark.NAME + "/" : MmvpBenchmark.NAME + "/" + entry.getKey() + "/";
            entry.getValue().score(answers, out).forEach((key, value) -> {
                String name = key.substring((MmvpBenchmark.NAME + "/").length());
                if (prefix.equals(MmvpBenchmark.NAME + "/") || !name.equals("pairs")) metrics.put(prefix + name, value);
            });
        }
        return new EvalResult("mmvp", metrics, outcomes);
    }

    /** The benchmark folders, written and read back on first use. */
    private void write() throws IOException {
        if (!benchmarks.isEmpty()) return;
        Map<String, List<MmvpPair>> sets = new LinkedHashMap<>();
        sets.put("all", pairs);
        for (MmvpPair pair : pairs) sets.computeIfAbsent(pair.kind(), k -> new ArrayList<>()).add(pair);
        for (Map.Entry<String, List<MmvpPair>> set : sets.entrySet()) {
            Path data = folder.resolve(set.getKey());
            writeFolder(data, set.getValue());
            benchmarks.put(set.getKey(), MmvpBenchmark.read(data, null, "", 0));
            pairsOf.put(set.getKey(), set.getValue());
        }
    }

    /** {@code Questions.csv} and {@code MMVP Images/} for these pairs. */
    static void writeFolder(Path data, List<MmvpPair> pairs) throws IOException {
        Path images = data.resolve(MmvpBenchmark.IMAGE_FOLDERS.get(0));
        Files.createDirectories(images);
        StringWriter csv = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
            printer.printRecord("Index", "Question", "Options", "Correct Answer");
            int row = 0;
            for (MmvpPair pair : pairs) {
                StringBuilder options = new StringBuilder();
                for (int c = 0; c < pair.candidates().size(); c++) {
                    if (c > 0) options.append(' ');
                    options.append(option(c)).append(' ').append(pair.candidates().get(c));
                }
                for (int i = 0; i < 2; i++) {
                    row++;
                    String source = pair.images().get(i).getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                    String extension = source.endsWith(".jpg") || source.endsWith(".jpeg") ? ".jpg" : ".png";
                    Files.copy(pair.images().get(i), images.resolve(row + extension), StandardCopyOption.REPLACE_EXISTING);
                    printer.printRecord(row, pair.question(), options, option(pair.candidates().indexOf(pair.answers().get(i))));
                }
            }
        }
        AtomicFiles.write(data.resolve(MmvpBenchmark.QUESTIONS_FILE), csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** "(a)", "(b)", ...: the option letter of candidate {@code index}. */
    static String option(int index) {
        return "(" + (char) ('a' + index) + ")";
    }
}
