package org.vco4j.data.seva;

import org.bytedeco.javacpp.PointerScope;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.DataImages;
import org.vco4j.data.DataPaths;
import org.vco4j.data.PngFile;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;
import org.vco4j.data.SeededHash;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.processing.Context;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * SeVa's preference data (Alg. 1): for each sample's image {@code m} and prompt {@code x}, the chosen answer is
 * the answerer's (a model's greedy answer) on {@code m}, each rejected answer the answerer's on an augmented
 * {@code m}, one per augmentation; a sample any of whose rejected answers equals the chosen one is dropped, so
 * every kept pair has one rejected answer per augmentation. The augmented images are written as PNG; each is
 * drawn from (seed, sample id, augmentation name, and its repeat number when a name is listed more than once), so a
 * rerun draws the same ones and a repeated augmentation gives a fresh view each time. {@link #write} also writes
 * {@code FILE.summary.json} with the statistic the paper reports: the share of pairs dropped as identical.
 */
public final class SevaPairs {
    public static final String SOURCE = "seva";

    /** The pairs kept, and how many samples were dropped because an answer on an augmented image equalled the chosen one. */
    public record Result(List<Sample> pairs, int droppedEqual, int droppedEmpty) {
        /** How many samples were read: those kept and those dropped. */
        public int samples() {
            return pairs.size() + droppedEqual + droppedEmpty;
        }

        /** The share of samples dropped because an answer on an augmented image equalled the chosen one. */
        public double shareDroppedIdentical() {
            return samples() == 0 ? 0 : (double) droppedEqual / samples();
        }
    }

    private SevaPairs() {}

    /**
     * Builds the pairs of {@code samples} and writes them to {@code dataFile}: the augmented images go to
     * {@code FILE-images/} beside it ({@link DataImages#folderBeside}), images outside its folder are copied there.
     *
     * @return the pairs as written (every image inside the data file's folder) and the drop counts
     */
    public static Result write(List<Sample> samples, Function<Context, String> answerer, List<Augmentation> augmentations,
                               long seed, Path dataFile, Runnable progress) throws IOException {
        Path images = DataImages.folderBeside(dataFile);
        Result result = build(samples, answerer, augmentations, seed, images, progress);
        DataImages inside = new DataImages(dataFile, images);
        List<Sample> pairs = new ArrayList<>();
        for (Sample pair : result.pairs()) pairs.add(inside.relocate(pair));
        SampleWriter.write(dataFile, pairs);
        Result written = new Result(pairs, result.droppedEqual(), result.droppedEmpty());
        writeSummary(written, augmentations, seed, dataFile);
        return written;
    }

    /** The answerer of Alg. 1: {@code vlm}'s greedy answer of at most {@code maxNewTokens} tokens. */
    public static Function<Context, String> greedyAnswerer(PretrainedVlm vlm, int maxNewTokens) {
        Generator generator = new Generator(vlm.model(), vlm.processor());
        GenerationConfig config = GenerationConfig.greedy(maxNewTokens);
        return condition -> {
            try (PointerScope scope = new PointerScope()) {
                return generator.generate(condition, config).text();
            }
        };
    }

    /**
     * @param answerer    the answer to a condition (images and a prompt with its {@code <image>} placeholders)
     * @param imageFolder where the augmented PNGs go
     * @param progress    called once per sample done
     */
    public static Result build(List<Sample> samples, Function<Context, String> answerer, List<Augmentation> augmentations,
                               long seed, Path imageFolder, Runnable progress) throws IOException {
        if (augmentations.isEmpty()) throw new IllegalArgumentException("SeVa needs at least one augmentation");
        String label = String.join("+", augmentations.stream().map(Augmentation::name).toList());
        List<Sample> pairs = new ArrayList<>();
        int droppedEqual = 0;
        int droppedEmpty = 0;
        for (Sample sample : samples) {
            Path m = sample.image();
            String chosen = answerer.apply(condition(m, sample.prompt())).strip();
            List<String> rejected = new ArrayList<>();
            boolean equal = false;
            RgbImage image = chosen.isEmpty() ? null : ImageLoader.load(m);
            for (int k = 0; image != null && k < augmentations.size() && !equal; k++) {
                Augmentation augmentation = augmentations.get(k);
                String view = view(augmentations, k);
                SplittableRandom random = new SplittableRandom(SeededHash.of(seed, sample.id() + "\n" + view));
                Path augmented = imageFolder.resolve(fileName(sample.id(), view));
                PngFile.write(augmentation.apply(image, random), augmented);
                String answer = answerer.apply(condition(augmented, sample.prompt())).strip();
                equal = answer.equals(chosen);
                rejected.add(answer);
            }
            if (chosen.isEmpty() || rejected.stream().anyMatch(String::isEmpty)) {
                droppedEmpty++;
            } else if (equal) {
                droppedEqual++;
            } else {
                pairs.add(new Sample(sample.id(), List.of(m), sample.prompt(), List.of(chosen), rejected, List.of(),
                        null, SOURCE, label));
            }
            progress.run();
        }
        return new Result(pairs, droppedEqual, droppedEmpty);
    }

    /**
     * The k-th augmentation's name, with {@code #n} for its n-th repeat (n ≥ 2) when the list names it more than once:
     * the key of its random draw and its file.
     */
    static String view(List<Augmentation> augmentations, int k) {
        String name = augmentations.get(k).name();
        long before = augmentations.subList(0, k).stream().filter(a -> a.name().equals(name)).count();
        return before == 0 ? name : name + "#" + (before + 1);
    }

    private static void writeSummary(Result result, List<Augmentation> augmentations, long seed, Path dataFile) throws IOException {
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("samples", result.samples());
        summary.put("pairs", result.pairs().size());
        summary.put("dropped_identical", result.droppedEqual());
        summary.put("dropped_empty", result.droppedEmpty());
        summary.put("share_dropped_identical", result.shareDroppedIdentical());
        augmentations.forEach(a -> summary.withArray("augmentations").add(a.name()));
        summary.put("seed", seed);
        AtomicFiles.write(DataPaths.summaryBeside(dataFile), Json.PRETTY.writeValueAsBytes(summary));
    }

    private static Context condition(Path image, String prompt) {
        return new Context(List.of(image), prompt).withDefaultPlaceholders();
    }

    private static String fileName(String id, String augmentation) {
        String readable = id.replaceAll("[^A-Za-z0-9._-]", "_");
        String view = augmentation.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 48) readable = readable.substring(0, 48);
        return readable + "-" + String.format("%08x", (int) SeededHash.of(0, id)) + "-" + view + ".png";
    }
}
