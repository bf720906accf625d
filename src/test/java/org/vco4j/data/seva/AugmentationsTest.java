package org.vco4j.data.seva;

import org.junit.jupiter.api.Test;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.SceneRenderer;
import org.vco4j.model.image.RgbImage;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class AugmentationsTest {
    private static final RgbImage SCENE = SceneRenderer.render(List.of(
            new SceneObject("heart", "purple", "large", 14, 20, "left"),
            new SceneObject("star", "yellow", "small", 48, 44, "right")), 64);

    @Test
    void everyAugmentationIsDeterministicPerSeedAndKeepsTheSize() {
        RgbImage wide = SCENE.crop(0, 0, 64, 40);
        for (String name : Augmentations.NAMES) {
            Augmentation augmentation = Augmentations.named(name);
            assertEquals(name, augmentation.name());
            for (RgbImage image : List.of(SCENE, wide)) {
                RgbImage a = augmentation.apply(image, new SplittableRandom(5));
                RgbImage b = augmentation.apply(image, new SplittableRandom(5));
                assertEquals(a, b, name);
                assertEquals(image.width(), a.width(), name);
                assertEquals(image.height(), a.height(), name);
            }
            // Over a few seeds every augmentation changes the image at least once (a flip is a coin toss).
            boolean changed = false;
            for (int seed = 0; seed < 8 && !changed; seed++) changed = !augmentation.apply(SCENE, new SplittableRandom(seed)).equals(SCENE);
            assertTrue(changed, name);
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Augmentations.named("blur"));
        assertTrue(unknown.getMessage().contains("diffusion-strong"));
    }

    @Test
    void namesCarryTheirStrength() {
        assertEquals("diffusion:650", Augmentations.named("diffusion:650").name());
        assertEquals("center-crop:0.5", Augmentations.named("center-crop:0.5").name());
        // A centre crop of half of each side, resized back: the middle of the image fills it.
        RgbImage cropped = Augmentations.named("center-crop:0.5").apply(SCENE, new SplittableRandom(1));
        assertEquals(SCENE.crop(16, 16, 32, 32).resize(64, 64, org.vco4j.model.image.ResampleFilter.BILINEAR), cropped);
        assertNotEquals(Augmentations.named("random-resized-crop:0.5").apply(SCENE, new SplittableRandom(2)),
                Augmentations.named("random-resized-crop").apply(SCENE, new SplittableRandom(2)));
        RgbImage black = RgbImage.filled(8, 8, 0, 0, 0);
        assertEquals(black, Augmentations.named("random-affine:10").apply(black, new SplittableRandom(3)));
        for (String bad : List.of("flip:2", "diffusion", "diffusion:abc", "diffusion:1000", "diffusion:500.5", "center-crop:0")) {
            assertThrows(IllegalArgumentException.class, () -> Augmentations.named(bad), bad);
        }
    }

    @Test
    void mirrorMovesEveryPixelToTheOtherSide() {
        RgbImage wide = SCENE.crop(0, 0, 63, 40);
        RgbImage mirrored = HorizontalFlip.mirror(wide);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 63; x++) {
                for (int c = 0; c < 3; c++) assertEquals(wide.get(x, y, c), mirrored.get(62 - x, y, c));
            }
        }
        assertEquals(wide, HorizontalFlip.mirror(mirrored));
    }

    @Test
    void diffusionScheduleAndNoiseScaleMatchTheFormula() {
        // ᾱ_t as a sum of logs, independently of the product in the implementation.
        for (int t : new int[] {0, 500, 800}) {
            double logSum = 0;
            for (int i = 0; i <= t; i++) {
                double beta = 1e-5 + (5e-3 - 1e-5) / (1 + Math.exp(6 - 12.0 * i / 999));
                logSum += Math.log1p(-beta);
            }
            assertEquals(Math.exp(logSum), DiffusionNoise.alphaBar(t), 1e-12);
        }
        assertEquals(0.7448, DiffusionNoise.alphaBar(500), 1e-4);
        assertEquals(0.2181, DiffusionNoise.alphaBar(800), 1e-4);

        // On mid grey the weak noise hardly clips, so in normalized units x_t has mean √ᾱ·x and deviation √(1−ᾱ).
        RgbImage grey = RgbImage.filled(96, 96, 128, 128, 128);
        RgbImage noised = DiffusionNoise.weak().apply(grey, new SplittableRandom(3));
        double alphaBar = DiffusionNoise.alphaBar(500);
        for (int c = 0; c < 3; c++) {
            double x = (128 / 255.0 - DiffusionNoise.MEAN[c]) / DiffusionNoise.STD[c];
            double sum = 0;
            double squares = 0;
            int n = 96 * 96;
            for (int py = 0; py < 96; py++) {
                for (int px = 0; px < 96; px++) {
                    double v = (noised.get(px, py, c) / 255.0 - DiffusionNoise.MEAN[c]) / DiffusionNoise.STD[c];
                    sum += v;
                    squares += v * v;
                }
            }
            double mean = sum / n;
            double deviation = Math.sqrt(squares / n - mean * mean);
            assertEquals(Math.sqrt(alphaBar) * x, mean, 0.03, "channel " + c);
            assertEquals(Math.sqrt(1 - alphaBar), deviation, 0.03, "channel " + c);
        }
        assertTrue(spread(DiffusionNoise.strong().apply(grey, new SplittableRandom(3))) > spread(noised) * 1.3);
    }

    @Test
    void randomResizedCropStaysInsideTheImageAtTheAllowedScale() {
        RandomResizedCrop crop = new RandomResizedCrop(0.2, 1.0);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 500; i++) {
            int[] box = crop.box(64, 48, random);
            assertTrue(box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= 64 && box[1] + box[3] <= 48);
            double area = (double) box[2] * box[3] / (64 * 48);
            assertTrue(area >= 0.2 - 0.05 && area <= 1.0, "area " + area);
        }
        assertThrows(IllegalArgumentException.class, () -> new RandomResizedCrop(0, 1));
    }

    private static double spread(RgbImage image) {
        double sum = 0;
        double squares = 0;
        int n = image.width() * image.height();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                sum += image.get(x, y, 1);
                squares += image.get(x, y, 1) * (double) image.get(x, y, 1);
            }
        }
        return Math.sqrt(squares / n - (sum / n) * (sum / n));
    }
}
