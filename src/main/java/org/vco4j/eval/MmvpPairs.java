package org.vco4j.eval;

import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;
import org.vco4j.data.world.Scene;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.WorldVocabulary;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Sources of MMVP pairs. A world's scenes are all different, so pairs are made from them: for each scene, a
 * colour pair (one object of a shape the scene shows once, recoloured) and a position pair (the picture mirrored,
 * asking for the side of such an object). A contrast file in the training-sample format (two images, two
 * responses, the prompt as question) can be used instead.
 */
public final class MmvpPairs {
    /** Name of the sample file written next to rendered pairs; it can be passed back as a contrast file. */
    public static final String FILE_NAME = "pairs.jsonl";

    private MmvpPairs() {}

    /**
     * Renders pairs for {@code scenes} into {@code folder} (copies of the originals and their counterparts under
     * {@code images/}, and {@value #FILE_NAME} describing them), at most {@code limit} pairs (0 = no limit).
     *
     * <p>The colour counterpart takes the shape's typical colour when the object has another one, and otherwise a
     * seeded random other colour: every colour pair then holds one image the prior agrees with and one it does
     * not, so answering from the prior gets exactly one of the two right.
     */
    public static List<MmvpPair> render(Path worldFolder, List<Scene> scenes, WorldStatistics statistics, WorldPalette palette,
                                            Path folder, long seed, int limit) throws IOException {
        folder = folder.toAbsolutePath().normalize();
        Path images = folder.resolve("images");
        Files.createDirectories(images);
        ContrastRenderer renderer = new ContrastRenderer(palette);
        List<MmvpPair> pairs = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (Scene scene : scenes) {
            if (limit > 0 && pairs.size() >= limit) break;
            Random random = new Random(PopeQuestions.sceneSeed(seed, scene.id()));
            List<Integer> unique = uniqueShapes(scene);
            if (unique.isEmpty()) continue;
            Path original = worldFolder.resolve(scene.image());
            BufferedImage picture = WorldPalette.read(original);
            String stem = scene.id().replaceAll("[^A-Za-z0-9_.-]", "_");
            Path copy = images.resolve(stem + ".png");
            Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);

            int index = unique.get(random.nextInt(unique.size()));
            SceneObject object = scene.objects().get(index);
            String newColor = contrastColor(object, statistics, palette, random);
            Optional<BufferedImage> recoloured = newColor == null ? Optional.empty() : renderer.recolor(picture, scene, index, newColor);
            if (recoloured.isPresent()) {
                Path file = images.resolve(stem + "-" + newColor + "-" + object.shape() + ".png");
                ImageIO.write(recoloured.get(), "png", file.toFile());
                List<String> candidates = WorldVocabulary.COLORS.stream().filter(c -> c.equals(object.color()) || c.equals(newColor)).toList();
                pairs.add(new MmvpPair(scene.id() + "/color", "color", WorldQuestions.colorOf(object.shape()),
                        List.of(copy, file), List.of(object.color(), newColor), candidates));
            }
            if (limit > 0 && pairs.size() >= limit) break;

            List<Integer> sided = unique.stream().filter(i -> clearlyOnItsSide(scene.objects().get(i), picture.getWidth())).toList();
            if (!sided.isEmpty()) {
                SceneObject moved = scene.objects().get(sided.get(random.nextInt(sided.size())));
                Path file = images.resolve(stem + "-mirrored.png");
                ImageIO.write(ContrastRenderer.mirror(picture), "png", file.toFile());
                String other = moved.region().equals("left") ? "right" : "left";
                pairs.add(new MmvpPair(scene.id() + "/position", "position", WorldQuestions.sideOf(moved.shape()),
                        List.of(copy, file), List.of(moved.region(), other), WorldVocabulary.REGIONS));
            }
        }
        for (MmvpPair pair : pairs) {
            samples.add(new Sample(pair.id(), pair.images(), pair.question(), pair.answers(), List.of(), List.of(),
                    pair.kind().equals("color") ? "attribute" : pair.kind(), "world-contrast", null));
        }
        SampleWriter.write(folder.resolve(FILE_NAME), samples);
        return pairs;
    }

    /**
     * Pairs from a contrast file: every sample with two images and two responses; its prompt is the question and
     * its candidates are the two responses plus any rejected answers. Other samples are skipped.
     */
    public static List<MmvpPair> read(Path file, int limit) throws IOException {
        List<MmvpPair> pairs = new ArrayList<>();
        for (Sample sample : SampleReader.read(file)) {
            if (limit > 0 && pairs.size() >= limit) break;
            if (sample.images().size() != 2 || sample.responses().size() != 2) continue;
            LinkedHashSet<String> candidates = new LinkedHashSet<>(sample.responses());
            candidates.addAll(sample.rejected());
            String prompt = WorldQuestions.questionOf(sample.prompt());
            pairs.add(new MmvpPair(sample.id(), sample.contrast() == null ? "pair" : sample.contrast(), prompt,
                    sample.images(), sample.responses(), List.copyOf(candidates)));
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException(file + ": no sample with two images and two responses to use as a pair");
        return pairs;
    }

    /** Indices of objects whose shape occurs once in the scene, so "the circle" names one object. */
    static List<Integer> uniqueShapes(Scene scene) {
        List<Integer> unique = new ArrayList<>();
        for (int i = 0; i < scene.objects().size(); i++) {
            if (scene.withShape(scene.objects().get(i).shape()).size() == 1) unique.add(i);
        }
        return unique;
    }

    /** The shape's typical colour, or a random other colour when the object already has it; null when none can be painted. */
    static String contrastColor(SceneObject object, WorldStatistics statistics, WorldPalette palette, Random random) {
        String typical = statistics.typicalColor(object.shape());
        if (typical != null && !typical.equals(object.color()) && palette.colors().contains(typical)) return typical;
        List<String> others = palette.colors().stream().filter(c -> !c.equals(object.color())).toList();
        return others.isEmpty() ? null : others.get(random.nextInt(others.size()));
    }

    /** A side question is fair only when the object's centre is not near the midline (it would stay put when mirrored). */
    static boolean clearlyOnItsSide(SceneObject object, int width) {
        double offset = object.x() - (width - 1) / 2.0;
        double margin = Math.max(1, width / 16.0);
        return object.region().equals("left") ? offset <= -margin : offset >= margin;
    }
}
