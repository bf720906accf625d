package org.vco4j.data.seva;

import org.vco4j.data.Sample;
import org.vco4j.data.SeededHash;
import org.vco4j.data.PngFile;
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
 * drawn from (seed, sample id, augmentation name), so a rerun draws the same ones.
 */
public final class SevaPairs {
    public static final String SOURCE = "seva";

    /** The pairs kept, and how many samples were dropped because an answer on an augmented image equalled the chosen one. */
    public record Result(List<Sample> pairs, int droppedEqual, int droppedEmpty) {}

    private SevaPairs() {}

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
                SplittableRandom random = new SplittableRandom(SeededHash.of(seed, sample.id() + "\n" + augmentation.name()));
                Path augmented = imageFolder.resolve(fileName(sample.id(), augmentation.name()));
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

    private static Context condition(Path image, String prompt) {
        return new Context(List.of(image), prompt).withDefaultPlaceholders();
    }

    private static String fileName(String id, String augmentation) {
        String readable = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 48) readable = readable.substring(0, 48);
        return readable + "-" + String.format("%08x", (int) SeededHash.of(0, id)) + "-" + augmentation + ".png";
    }
}
