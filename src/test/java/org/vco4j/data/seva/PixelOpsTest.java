package org.vco4j.data.seva;

import org.junit.jupiter.api.Test;
import org.vco4j.data.world.SceneObject;
import org.vco4j.data.world.SceneRenderer;
import org.vco4j.model.image.RgbImage;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Pillow's point operations, blends and warps as AutoAugment and RandomAffine use them, on hand-made images. */
class PixelOpsTest {
    @Test
    void pointOperationsFollowImageOps() {
        RgbImage pixel = new RgbImage(1, 1, new byte[] {(byte) 0xAB, 100, (byte) 200});
        assertArrayEquals(new byte[] {(byte) 0xA0, 0x60, (byte) 0xC0}, PixelOps.posterize(pixel, 4).toByteArray());
        assertArrayEquals(new byte[] {(byte) (255 - 0xAB), 100, 55}, PixelOps.solarize(pixel, 128).toByteArray());
        assertArrayEquals(new byte[] {(byte) (255 - 0xAB), (byte) 155, 55}, PixelOps.invert(pixel).toByteArray());
    }

    @Test
    void autocontrastAndEqualizeStretchTwoLevelsToTheFullRange() {
        RgbImage halves = halves(64, 64, 10, 200);
        RgbImage equalized = PixelOps.equalize(halves);
        assertEquals(0, equalized.get(0, 0, 0));
        assertEquals(255, equalized.get(63, 0, 0));
        RgbImage stretched = PixelOps.autocontrast(halves(8, 8, 50, 150));
        assertEquals(0, stretched.get(0, 0, 1));
        assertEquals(255, stretched.get(7, 0, 1));
        // A flat image has nothing to stretch or equalize.
        RgbImage flat = RgbImage.filled(8, 8, 90, 90, 90);
        assertEquals(flat, PixelOps.autocontrast(flat));
        assertEquals(flat, PixelOps.equalize(flat));
    }

    @Test
    void blendsKeepTheImageAtFactorOneAndReachTheirDegenerateImageAtZero() {
        RgbImage scene = SceneRenderer.render(List.of(new SceneObject("heart", "purple", "large", 20, 20, "left")), 32);
        assertEquals(scene, PixelOps.color(scene, 1));
        assertEquals(scene, PixelOps.contrast(scene, 1));
        assertEquals(scene, PixelOps.sharpness(scene, 1));
        RgbImage gray = PixelOps.color(scene, 0);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) assertTrue(gray.get(x, y, 0) == gray.get(x, y, 1) && gray.get(x, y, 1) == gray.get(x, y, 2));
        }
        RgbImage flat = PixelOps.contrast(scene, 0);
        assertEquals(flat.get(0, 0, 0), flat.get(20, 20, 2));
    }

    @Test
    void aQuarterTurnMovesEveryPixelCounterClockwiseAndShearSlidesRows() {
        RgbImage image = numbered(6, 6);
        RgbImage turned = PixelOps.rotate(image, 90);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 6; x++) assertEquals(image.get(5 - y, x, 0), turned.get(x, y, 0), x + "," + y);
        }
        RgbImage sheared = PixelOps.shearX(image, 1.0);
        assertEquals(image.get(4, 2, 0), sheared.get(1, 2, 0), "x_in = floor((x + ½) + m·(y + ½))");
        assertEquals(0, sheared.get(5, 5, 0), "outside the image is black");
    }

    @Test
    void autoAugmentRunsEverySubPolicyAndKeepsTheSize() {
        RgbImage scene = SceneRenderer.render(List.of(new SceneObject("star", "yellow", "small", 30, 20, "right")), 40).crop(0, 0, 40, 28);
        AutoAugment augment = new AutoAugment();
        int changed = 0;
        for (int seed = 0; seed < 200; seed++) {
            RgbImage out = augment.apply(scene, new SplittableRandom(seed));
            assertEquals(40, out.width());
            assertEquals(28, out.height());
            if (!out.equals(scene)) changed++;
        }
        assertTrue(changed > 100, "most draws change the image: " + changed);
    }

    private static RgbImage halves(int w, int h, int left, int right) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) for (int c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = (byte) (x < w / 2 ? left : right);
        }
        return new RgbImage(w, h, rgb);
    }

    /** Red channel = 1 + x + w·y, so every pixel is told apart. */
    private static RgbImage numbered(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) rgb[(y * w + x) * 3] = (byte) (1 + x + w * y);
        return new RgbImage(w, h, rgb);
    }
}
