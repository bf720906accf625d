package org.vco4j.data.world;

import org.vco4j.data.DataImages;
import org.vco4j.data.PngFile;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;
import org.vco4j.data.seva.HorizontalFlip;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Minimal-contrast tuples from a world: for every scene and every {@link ContrastType} the scene admits, the
 * edited scene {@code m'} ({@link MinimalEdits}) rendered as a new PNG — for a position contrast the pixels of
 * {@code m} mirrored left to right — with the prompt "Describe the image.", {@code y} the caption of {@code m},
 * {@code y'} the caption of {@code m'}, and token masks over the words in which they differ ({@link WordDiff}).
 * The ground truth of every {@code m'} is kept as a {@code scenes.jsonl} beside the new images.
 */
public final class ContrastPairs {
    /** The tuples and the ground truth of their contrasting images. */
    public record Result(List<Sample> samples, List<Scene> contrastScenes) {}

    private ContrastPairs() {}

    /**
     * Builds the tuples of {@code scenes} and writes them to {@code dataFile}; the images {@code m'} and their
     * ground truth ({@code scenes.jsonl}) go to {@code FILE-images/} beside it ({@link DataImages#folderBeside}).
     */
    public static Result write(Path worldFolder, WorldSettings settings, List<Scene> scenes, long seed, Path dataFile)
            throws IOException {
        Path images = DataImages.folderBeside(dataFile);
        Files.createDirectories(images);
        Result result = build(worldFolder, settings, scenes, seed, dataFile, images);
        Scenes.write(images, result.contrastScenes());
        SampleWriter.write(dataFile, result.samples());
        return result;
    }

    /**
     * @param imageFolder where the images {@code m'} go (and copies of {@code m} when the world lies outside the
     *                    data file's folder); must lie inside that folder
     */
    public static Result build(Path worldFolder, WorldSettings settings, List<Scene> scenes, long seed, Path dataFile,
                               Path imageFolder) throws IOException {
        return build(worldFolder, settings.imageSize(), scenes, seed, dataFile, imageFolder);
    }

    /** The same for a world known only by its scenes and the side of its square pictures. */
    public static Result build(Path worldFolder, int side, List<Scene> scenes, long seed, Path dataFile,
                               Path imageFolder) throws IOException {
        Path world = worldFolder.toAbsolutePath().normalize();
        DataImages images = new DataImages(dataFile, imageFolder);
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> samples = new ArrayList<>();
        List<Scene> contrastScenes = new ArrayList<>();
        for (Scene scene : scenes) {
            SplittableRandom sceneRandom = random.split();
            Path m = world.resolve(scene.image());
            RgbImage original = null;
            for (ContrastType type : ContrastType.values()) {
                Optional<List<SceneObject>> edited = MinimalEdits.edit(scene.objects(), type, side, sceneRandom);
                if (edited.isEmpty()) continue;
                String name = scene.id() + "-" + type.label() + ".png";
                Path mPrime = imageFolder.toAbsolutePath().normalize().resolve(name);
                RgbImage contrast;
                if (type == ContrastType.POSITION) {
                    if (original == null) original = ImageLoader.load(m);
                    contrast = HorizontalFlip.mirror(original);
                } else {
                    contrast = SceneRenderer.render(edited.get(), side);
                }
                PngFile.write(contrast, mPrime);
                contrastScenes.add(new Scene(scene.id() + "-" + type.label(), name, scene.split(), edited.get()));
                String y = Captions.describe(scene.objects());
                String yPrime = Captions.describe(edited.get());
                samples.add(new Sample(scene.id() + "/" + type.label(), List.of(images.inside(m), mPrime),
                        Captions.DESCRIBE_PROMPT, List.of(y, yPrime), List.of(), WordDiff.masks(y, yPrime),
                        type.label(), WorldSft.SOURCE, null));
            }
        }
        return new Result(samples, contrastScenes);
    }
}
