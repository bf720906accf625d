package org.vco4j.data.world;

import org.vco4j.data.DataImages;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Text-side preference pairs: one image, the prompt "Describe the image.", the true caption chosen and a
 * hallucinated one ({@link Hallucinations}, biased toward the prior) rejected. The error's kind goes in the
 * {@code contrast} field.
 */
public final class HallucinationPairs {
    private HallucinationPairs() {}

    /** Builds the pairs of {@code scenes} and writes them to {@code dataFile}, copies of outside images in {@code FILE-images/}. */
    public static List<Sample> write(Path worldFolder, WorldSettings settings, List<Scene> scenes, long seed, Path dataFile)
            throws IOException {
        List<Sample> pairs = build(worldFolder, settings, scenes, seed, dataFile, DataImages.folderBeside(dataFile));
        SampleWriter.write(dataFile, pairs);
        return pairs;
    }

    /** One pair per scene that admits an error; images outside the data file's folder are copied into {@code copies}. */
    public static List<Sample> build(Path worldFolder, WorldSettings settings, List<Scene> scenes, long seed, Path dataFile,
                                     Path copies) throws IOException {
        Path world = worldFolder.toAbsolutePath().normalize();
        DataImages images = new DataImages(dataFile, copies);
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> pairs = new ArrayList<>();
        for (Scene scene : scenes) {
            SplittableRandom sceneRandom = random.split();
            var hallucination = Hallucinations.of(scene.objects(), settings, sceneRandom);
            if (hallucination.isEmpty()) continue;
            pairs.add(new Sample(scene.id() + "/hallucination", List.of(images.inside(world.resolve(scene.image()))),
                    Captions.DESCRIBE_PROMPT, List.of(Captions.describe(scene.objects())),
                    List.of(Captions.describe(hallucination.get().objects())), List.of(), hallucination.get().kind(),
                    WorldSft.SOURCE, null));
        }
        return pairs;
    }
}
