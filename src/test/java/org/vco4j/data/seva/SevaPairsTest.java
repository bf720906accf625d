package org.vco4j.data.seva;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.PngFile;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.SceneRenderer;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.processing.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.*;

class SevaPairsTest {
    /** Always mirrors, so the test knows which answer the augmented image gets. */
    private static final Augmentation MIRROR = new Augmentation() {
        @Override
        public String name() {
            return "mirror";
        }

        @Override
        public RgbImage apply(RgbImage image, RandomGenerator random) {
            return HorizontalFlip.mirror(image);
        }
    };

    /** A fake model: says on which side the image's single object is, or "middle" when it cannot tell. */
    private static final Function<Context, String> SIDE_ANSWERER = condition -> {
        assertEquals(1, condition.images().size());
        assertTrue(condition.prompt().startsWith(Context.IMAGE_PLACEHOLDER + "\n"), condition.prompt());
        try {
            RgbImage image = ImageLoader.load(condition.images().get(0));
            long left = 0;
            long right = 0;
            for (int y = 0; y < image.height(); y++) {
                for (int x = 0; x < image.width(); x++) {
                    boolean ink = image.get(x, y, 1) < 200;
                    if (ink && x < image.width() / 2) left++;
                    if (ink && x >= image.width() / 2) right++;
                }
            }
            return left == right ? "middle" : left > right ? "left" : "right";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    };

    @Test
    void answersOnOriginalAndAugmentedImageFormPairsAndEqualAnswersAreDropped(@TempDir Path dir) throws IOException {
        Path leftImage = dir.resolve("left.png");
        Path centred = dir.resolve("centre.png");
        PngFile.write(SceneRenderer.render(List.of(new SceneObject("circle", "blue", "small", 12, 30, "left")), 64), leftImage);
        PngFile.write(SceneRenderer.render(List.of(), 64), centred);
        List<Sample> samples = List.of(
                new Sample("a", List.of(leftImage), "Where is the circle?", List.of("left"), List.of(), List.of(), null, null, null),
                new Sample("b", List.of(centred), "Where is the circle?", List.of("left"), List.of(), List.of(), null, null, null));
        List<String> progress = new ArrayList<>();
        Path images = dir.resolve("seva-images");
        SevaPairs.Result result = SevaPairs.build(samples, SIDE_ANSWERER, List.of(MIRROR), 1, images, () -> progress.add("x"));

        assertEquals(2, progress.size());
        assertEquals(1, result.droppedEqual(), "the empty image reads the same mirrored");
        assertEquals(0, result.droppedEmpty());
        assertEquals(1, result.pairs().size());
        Sample pair = result.pairs().get(0);
        assertEquals("a", pair.id());
        assertEquals(List.of("left"), pair.responses());
        assertEquals(List.of("right"), pair.rejected());
        assertEquals("mirror", pair.augmentation());
        assertEquals(leftImage.toAbsolutePath().normalize(), pair.image());
        try (var written = Files.list(images)) {
            assertEquals(2, written.count(), "one augmented image per sample");
        }

        Path file = dir.resolve("seva.jsonl");
        SampleWriter.write(file, result.pairs());
        assertEquals(result.pairs(), SampleReader.read(file));
    }

    @Test
    void aSampleWithAnyNegativeEqualToTheChosenIsDroppedAndEmptyAnswersToo(@TempDir Path dir) throws IOException {
        Path image = dir.resolve("left.png");
        PngFile.write(SceneRenderer.render(List.of(new SceneObject("star", "red", "large", 14, 30, "left")), 64), image);
        Sample sample = new Sample("s", List.of(image), "Where?", List.of("left"), List.of(), List.of(), null, null, null);
        Augmentation identity = new Augmentation() {
            @Override
            public String name() {
                return "identity";
            }

            @Override
            public RgbImage apply(RgbImage img, RandomGenerator random) {
                return img;
            }
        };
        SevaPairs.Result both = SevaPairs.build(List.of(sample), SIDE_ANSWERER, List.of(MIRROR, identity), 1, dir.resolve("i"), () -> {});
        assertEquals(List.of(), both.pairs());
        assertEquals(1, both.droppedEqual());

        SevaPairs.Result two = SevaPairs.build(List.of(sample), SIDE_ANSWERER, List.of(MIRROR, MIRROR), 1, dir.resolve("i"), () -> {});
        assertEquals(1, two.pairs().size(), two.toString());
        assertEquals(List.of("right", "right"), two.pairs().get(0).rejected());
        assertEquals("mirror+mirror", two.pairs().get(0).augmentation());

        SevaPairs.Result empty = SevaPairs.build(List.of(sample), c -> " ", List.of(MIRROR), 1, dir.resolve("i"), () -> {});
        assertEquals(1, empty.droppedEmpty());
        assertEquals(List.of(), empty.pairs());
    }

    @Test
    void writeReportsTheShareDroppedAsIdenticalAndARepeatedAugmentationDrawsAFreshView(@TempDir Path dir) throws IOException {
        Path leftImage = dir.resolve("left.png");
        Path centred = dir.resolve("centre.png");
        PngFile.write(SceneRenderer.render(List.of(new SceneObject("circle", "blue", "small", 12, 30, "left")), 64), leftImage);
        PngFile.write(SceneRenderer.render(List.of(), 64), centred);
        List<Sample> samples = List.of(
                new Sample("a", List.of(leftImage), "Where is the circle?", List.of("left"), List.of(), List.of(), null, null, null),
                new Sample("b", List.of(centred), "Where is the circle?", List.of("left"), List.of(), List.of(), null, null, null));
        List<Long> draws = new ArrayList<>();
        Augmentation drawingMirror = new Augmentation() {
            @Override
            public String name() {
                return "mirror";
            }

            @Override
            public RgbImage apply(RgbImage image, RandomGenerator random) {
                draws.add(random.nextLong());
                return HorizontalFlip.mirror(image);
            }
        };
        Path out = dir.resolve("pairs.jsonl");
        SevaPairs.Result result = SevaPairs.write(samples, SIDE_ANSWERER, List.of(drawingMirror, drawingMirror), 1, out, () -> {});
        assertEquals(1, result.pairs().size());
        assertEquals(0.5, result.shareDroppedIdentical());
        assertNotEquals(draws.get(0), draws.get(1), "the second mirror of a sample draws its own view");
        // a: mirror and mirror#2 (its first rejected answer differed); b: mirror only (equal answer, dropped).
        try (var written = Files.list(dir.resolve("pairs-images"))) {
            assertEquals(List.of(false, false, true), written.map(p -> p.getFileName().toString().contains("mirror_2")).sorted().toList());
        }
        var summary = org.vco4j.common.Json.MAPPER.readTree(dir.resolve("pairs.summary.json").toFile());
        assertEquals(2, summary.get("samples").asInt());
        assertEquals(1, summary.get("dropped_identical").asInt());
        assertEquals(0.5, summary.get("share_dropped_identical").asDouble());
        assertEquals("mirror", summary.get("augmentations").get(1).asText());
    }
}
