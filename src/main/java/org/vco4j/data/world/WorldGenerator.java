package org.vco4j.data.world;

import org.vco4j.data.PngFile;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates a synthetic contrast world into a folder:
 * <ul>
 *   <li>{@code images/scene-NNNNN.png}: the rendered scenes ({@link SceneRenderer});</li>
 *   <li>{@code scenes.jsonl}: their ground truth and split ({@link Scenes});</li>
 *   <li>{@code sft.jsonl}: single-image questions and captions on the training scenes ({@link WorldSft});</li>
 *   <li>{@code sft_pairs.jsonl}: two-image tuples on the training scenes, for two-image contexts;</li>
 *   <li>{@code sft_existence.jsonl}: existence questions whose words lean towards an answer, the first stage of a base
 *   model trained from scratch ({@link WorldSft#existenceScaffold});</li>
 *   <li>{@code world.json}: the settings ({@link WorldSettings}), written last, so a folder that has it is complete.</li>
 * </ul>
 * Everything follows from the settings: the same seed gives byte-identical files.
 */
public final class WorldGenerator {
    public static final String IMAGES_FOLDER = "images";
    public static final String SFT_FILE = "sft.jsonl";
    public static final String SFT_PAIRS_FILE = "sft_pairs.jsonl";
    public static final String SFT_EXISTENCE_FILE = "sft_existence.jsonl";

    private WorldGenerator() {}

    /** The scenes of a world (objects and split), without writing anything. */
    public static List<Scene> scenes(WorldSettings settings) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        Set<Integer> eval = evalIndices(settings, random.split());
        SceneSampler sampler = new SceneSampler(settings);
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < settings.images(); i++) {
            String id = String.format("scene-%05d", i);
            // One generator per scene, split off in order: a scene does not depend on how many draws another took.
            List<SceneObject> objects = sampler.sample(random.split());
            scenes.add(new Scene(id, IMAGES_FOLDER + "/" + id + ".png", eval.contains(i) ? "eval" : "train", objects));
        }
        return scenes;
    }

    /**
     * Writes the world into {@code folder}.
     *
     * @param overwrite replace an existing world (its scene images are deleted first); otherwise an existing
     *                  {@code world.json} is an error
     */
    public static List<Scene> generate(WorldSettings settings, Path folder, boolean overwrite) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        if (Files.exists(absolute.resolve(WorldSettings.FILE_NAME))) {
            if (!overwrite) throw new IllegalArgumentException(absolute + " already holds a world (overwrite is false)");
            Files.delete(absolute.resolve(WorldSettings.FILE_NAME));
            Path images = absolute.resolve(IMAGES_FOLDER);
            if (Files.isDirectory(images)) {
                try (Stream<Path> old = Files.list(images)) {
                    for (Path png : old.filter(p -> p.getFileName().toString().endsWith(".png")).toList()) Files.delete(png);
                }
            }
        }
        Files.createDirectories(absolute.resolve(IMAGES_FOLDER));
        List<Scene> scenes = scenes(settings);
        for (Scene scene : scenes) {
            PngFile.write(SceneRenderer.render(scene.objects(), settings.imageSize()), absolute.resolve(scene.image()));
        }
        Scenes.write(absolute, scenes);
        List<Scene> train = scenes.stream().filter(s -> s.split().equals("train")).toList();
        WorldSft sft = new WorldSft(settings, s -> absolute.resolve(s.image()));
        SplittableRandom random = new SplittableRandom(settings.seed() ^ 0x5F7L);
        List<Sample> single = sft.singleImage(train, random.split());
        List<Sample> pairs = sft.twoImage(train, random.split());
        List<Sample> existence = sft.existenceScaffold(train, random.split());
        SampleWriter.write(absolute.resolve(SFT_FILE), single);
        SampleWriter.write(absolute.resolve(SFT_PAIRS_FILE), pairs);
        SampleWriter.write(absolute.resolve(SFT_EXISTENCE_FILE), existence);
        settings.write(absolute);
        return scenes;
    }

    private static Set<Integer> evalIndices(WorldSettings settings, SplittableRandom random) {
        int n = settings.images();
        int evalCount = (int) Math.round(settings.evalFraction() * n);
        if (settings.evalFraction() > 0 && n > 1) evalCount = Math.max(1, Math.min(evalCount, n - 1));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        // Fisher–Yates with the world's generator, so the split is part of what the seed fixes.
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        return new HashSet<>(order.subList(0, evalCount));
    }
}
