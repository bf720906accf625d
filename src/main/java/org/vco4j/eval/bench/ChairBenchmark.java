package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * CHAIR (Rohrbach et al., 2018) on COCO 2014, as the reference {@code chair.py} (LisaAnne/Hallucination, with the
 * Recall of Maxlinn/CHAIR-metric-standalone) computes it, on captions the model writes for the images of
 * {@code --images} (every file the annotations know, in image-id order; {@code --limit} keeps the first N).
 * {@code --data} is the folder of COCO's annotation files ({@link CocoAnnotations}). The default prompt is the one
 * Object HalBench and OPERA caption with, "Please describe this image in detail."
 *
 * <p>A caption's object words ({@link CocoObjectWords}) are hallucinated when their object is not among the image's
 * ground-truth objects. {@code chair/chair_s}: captions with a hallucinated object / captions; {@code chair/chair_i}:
 * hallucinated object words / object words; {@code chair/recall}: ground-truth objects named / ground-truth objects.
 * Written next to the summary: {@code captions.json} in the reference's input format
 * ({@code {"imgToEval": {id: {"image_id", "caption"}}, "overall": {}}}) and {@code chair.json} in its output format
 * ({@code {"sentences": [...], "overall_metrics": {"CHAIRs", "CHAIRi", "Recall"}}}).
 */
public final class ChairBenchmark extends AbstractPublicBenchmark {
    public static final String NAME = "chair";
    public static final String DEFAULT_PROMPT = "Please describe this image in detail.";

    /** One image asked about, with its ground-truth objects. */
    record Captioned(long imageId, Set<String> groundTruth, BenchmarkItem item) {}

    private final CocoObjectWords words;
    private final List<Captioned> images;

    private ChairBenchmark(CocoObjectWords words, List<Captioned> images, Path annotations, Path imageFolder, String prompt, int limit) {
        super(NAME, annotations, imageFolder, prompt, limit, images.stream().map(Captioned::item).toList());
        this.words = words;
        this.images = images;
    }

    /**
     * @param prompt the captioning prompt; null for {@link #DEFAULT_PROMPT}
     * @param limit  at most this many images (lowest ids first); 0 for all
     */
    public static ChairBenchmark read(Path annotations, Path imageFolder, String prompt, int limit) throws IOException {
        return read(annotations, imageFolder, prompt, limit, null);
    }

    /**
     * As {@link #read(Path, Path, String, int)} with another object vocabulary than COCO's: {@code synonyms} is a file
     * in the format of the reference's {@code synonyms.txt} (per line an object's name, then its synonyms, separated by
     * ", "); the annotations' category names must be objects of it. Null for COCO's list.
     */
    public static ChairBenchmark read(Path annotations, Path imageFolder, String prompt, int limit, Path synonyms) throws IOException {
        BenchmarkFiles.requireImageFolder(imageFolder, "CHAIR needs the folder of COCO images to caption");
        CocoObjectWords words;
        if (synonyms == null) {
            words = new CocoObjectWords();
        } else {
            BenchmarkFiles.requireFile(synonyms);
            List<String> lines = Files.readAllLines(synonyms).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) throw new IllegalArgumentException(synonyms + ": no object");
            words = new CocoObjectWords(lines);
        }
        Set<String> files;
        try (Stream<Path> listing = Files.list(imageFolder)) {
            files = listing.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
        CocoAnnotations.GroundTruth truth = CocoAnnotations.read(annotations, files, words);
        if (truth.images().isEmpty()) {
            throw new IllegalArgumentException("--images " + imageFolder + ": no file the annotations in " + annotations + " name");
        }
        String text = prompt == null || prompt.isEmpty() ? DEFAULT_PROMPT : prompt;
        List<Captioned> images = new ArrayList<>();
        for (CocoAnnotations.Image image : truth.images().values()) {
            if (limit > 0 && images.size() == limit) break;
            Set<String> objects = truth.objects().getOrDefault(image.id(), Set.of());
            images.add(new Captioned(image.id(), objects,
                    new BenchmarkItem(String.valueOf(image.id()), imageFolder.resolve(image.fileName()), text)));
        }
        return new ChairBenchmark(words, List.copyOf(images), annotations, imageFolder, text, limit);
    }

    /** One caption's result, the reference's per-sentence record. */
    record Sentence(long imageId, String caption, List<CocoObjectWords.ObjectWord> hallucinated, List<CocoObjectWords.ObjectWord> mentioned,
                    List<String> words, Set<String> groundTruth, Set<String> recalled) {}

    /** Scores one caption against its image's ground-truth objects. */
    Sentence sentence(long imageId, String caption, Set<String> groundTruth) {
        return sentence(words, imageId, caption, groundTruth);
    }

    /** Scores one caption, read by {@code words}, against its image's ground-truth objects. */
    static Sentence sentence(CocoObjectWords words, long imageId, String caption, Set<String> groundTruth) {
        CocoObjectWords.Reading reading = words.read(caption);
        List<CocoObjectWords.ObjectWord> hallucinated = new ArrayList<>();
        Set<String> recalled = new HashSet<>();
        for (CocoObjectWords.ObjectWord word : reading.objects()) {
            if (groundTruth.contains(word.object())) recalled.add(word.object());
            else hallucinated.add(word);
        }
        return new Sentence(imageId, caption, hallucinated, reading.objects(), reading.words(), groundTruth, recalled);
    }

    @Override
    public Map<String, Double> score(Map<String, String> answers, Path out) throws IOException {
        List<Sentence> sentences = new ArrayList<>();
        for (Captioned image : images) sentences.add(sentence(image.imageId(), answers.get(image.item().id()), image.groundTruth()));
        Map<String, Double> metrics = metrics(sentences);
        writeCaptions(out.resolve("captions.json"), sentences);
        writeResult(out.resolve("chair.json"), sentences, metrics);
        return metrics;
    }

    /**
     * CHAIR's counts over captions: captions, those with a hallucinated object, those naming any COCO object, the
     * hallucinated object words, all object words, the ground-truth objects named (distinct per caption) and all
     * ground-truth objects.
     */
    record Totals(int captions, int hallucinatedCaptions, int captionsWithObjects, int hallucinatedWords, int objectWords,
                  int recalled, int groundTruth) {
        static Totals of(List<Sentence> sentences) {
            int hallucinatedCaptions = 0;
            int withObjects = 0;
            int hallucinatedWords = 0;
            int objectWords = 0;
            int recalled = 0;
            int groundTruth = 0;
            for (Sentence s : sentences) {
                if (!s.hallucinated().isEmpty()) hallucinatedCaptions++;
                if (!s.mentioned().isEmpty()) withObjects++;
                hallucinatedWords += s.hallucinated().size();
                objectWords += s.mentioned().size();
                recalled += s.recalled().size();
                groundTruth += s.groundTruth().size();
            }
            return new Totals(sentences.size(), hallucinatedCaptions, withObjects, hallucinatedWords, objectWords, recalled, groundTruth);
        }

        double chairS() {
            return ratio(hallucinatedCaptions, captions);
        }

        double chairI() {
            return ratio(hallucinatedWords, objectWords);
        }

        double recall() {
            return ratio(recalled, groundTruth);
        }
    }

    static Map<String, Double> metrics(List<Sentence> sentences) {
        Totals totals = Totals.of(sentences);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(NAME + "/chair_s", totals.chairS());
        metrics.put(NAME + "/chair_i", totals.chairI());
        metrics.put(NAME + "/recall", totals.recall());
        metrics.put(NAME + "/object_words", (double) totals.objectWords());
        metrics.put(NAME + "/captions", (double) totals.captions());
        return metrics;
    }

    static double ratio(int numerator, int denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static void writeCaptions(Path file, List<Sentence> sentences) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode byImage = root.putObject("imgToEval");
        for (Sentence s : sentences) {
            ObjectNode entry = byImage.putObject(String.valueOf(s.imageId()));
            entry.put("image_id", s.imageId());
            entry.put("caption", s.caption());
        }
        root.putObject("overall");
        AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(root));
    }

    private static void writeResult(Path file, List<Sentence> sentences, Map<String, Double> metrics) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("sentences");
        for (Sentence s : sentences) list.add(sentenceJson(s));
        ObjectNode overall = root.putObject("overall_metrics");
        putNumber(overall, "CHAIRs", metrics.get(NAME + "/chair_s"));
        putNumber(overall, "CHAIRi", metrics.get(NAME + "/chair_i"));
        putNumber(overall, "Recall", metrics.get(NAME + "/recall"));
        AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(root));
    }

    /** One caption's record in the reference's output ({@code chair.py}'s and RLHF-V's per-sentence entries). */
    static ObjectNode sentenceJson(Sentence s) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("image_id", s.imageId());
        entry.put("caption", s.caption());
        ArrayNode hallucinated = entry.putArray("mscoco_hallucinated_words");
        for (CocoObjectWords.ObjectWord w : s.hallucinated()) hallucinated.addArray().add(w.word()).add(w.object());
        ArrayNode truth = entry.putArray("mscoco_gt_words");
        new TreeSet<>(s.groundTruth()).forEach(truth::add);
        ArrayNode generated = entry.putArray("mscoco_generated_words");
        s.mentioned().forEach(w -> generated.add(w.object()));
        ArrayNode indices = entry.putArray("hallucination_idxs");
        s.hallucinated().forEach(w -> indices.add(w.index()));
        ArrayNode all = entry.putArray("words");
        s.words().forEach(all::add);
        ObjectNode m = entry.putObject("metrics");
        m.put("CHAIRs", s.hallucinated().isEmpty() ? 0 : 1);
        m.put("CHAIRi", s.mentioned().isEmpty() ? 0.0 : (double) s.hallucinated().size() / s.mentioned().size());
        m.put("Recall", s.groundTruth().isEmpty() ? 0.0 : (double) s.recalled().size() / s.groundTruth().size());
        return entry;
    }

    static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isNaN(value)) node.putNull(field);
        else node.put(field, value);
    }
}
