package org.vco4j.model.image;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.vco4j.tensor.Tensors;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ImageProcessorTest {
    /** Pixel (x, y) has red x, green y and blue 200, so positions can be read back from values. */
    private static RgbImage coordinates(int width, int height) {
        byte[] data = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                data[i] = (byte) x;
                data[i + 1] = (byte) y;
                data[i + 2] = (byte) 200;
            }
        return new RgbImage(width, height, data);
    }

    @Test
    void resizeToTheSameSizeIsTheIdentity() {
        RgbImage img = PillowGoldenTest.pixels(5, 4, 9);
        assertSame(img, img.resize(5, 4, ResampleFilter.BICUBIC));
        ImageProcessor p = new ImageProcessor(PreprocessorConfig.builder().size(ImageSize.shortestEdge(4)).doCenterCrop(false).build());
        assertEquals(img, p.prepare(img));
    }

    @Test
    void bicubicUpscaleStaysWithinOneLevelOfAPlainDoubleReference() {
        RgbImage tiny = new RgbImage(2, 2, new byte[] {0, 0, 0, (byte) 255, (byte) 128, 64, 10, (byte) 200, 30, 90, 90, (byte) 250});
        RgbImage out = tiny.resize(4, 4, ResampleFilter.BICUBIC);
        for (int c = 0; c < 3; c++) {
            // Horizontal pass, rounded and clipped to 8 bits as Pillow stores its intermediate image.
            double[][] rows = new double[2][4];
            for (int sy = 0; sy < 2; sy++)
                for (int x = 0; x < 4; x++) {
                    double sum = 0, total = 0;
                    for (int sx = 0; sx < 2; sx++) {
                        // Upscaling by 2 maps output centre x to input coordinate (x + 0.5) / 2 - 0.5.
                        double w = keys((x + 0.5) / 2 - 0.5 - sx);
                        sum += w * tiny.get(sx, sy, c);
                        total += w;
                    }
                    rows[sy][x] = Math.max(0, Math.min(255, Math.round(sum / total)));
                }
            for (int y = 0; y < 4; y++)
                for (int x = 0; x < 4; x++) {
                    double sum = 0, total = 0;
                    for (int sy = 0; sy < 2; sy++) {
                        double w = keys((y + 0.5) / 2 - 0.5 - sy);
                        sum += w * rows[sy][x];
                        total += w;
                    }
                    double expected = Math.max(0, Math.min(255, sum / total));
                    assertEquals(expected, out.get(x, y, c), 1.0, "(" + x + ", " + y + ", " + c + ")");
                }
        }
    }

    /** The Keys cubic kernel with a = -0.5, written independently of the production code. */
    private static double keys(double t) {
        t = Math.abs(t);
        if (t < 1) return 1.5 * t * t * t - 2.5 * t * t + 1;
        if (t < 2) return -0.5 * t * t * t + 2.5 * t * t - 4 * t + 2;
        return 0;
    }

    @Test
    void shortestEdgeOutputSizeTruncatesTheLongSide() {
        ImageProcessor p = new ImageProcessor(PreprocessorConfig.clipDefaults());
        assertArrayEquals(new int[] {224, 298}, p.resizedSize(480, 640)); // int(224 * 640 / 480) = int(298.67)
        assertArrayEquals(new int[] {298, 224}, p.resizedSize(640, 480));
        assertArrayEquals(new int[] {224, 224}, p.resizedSize(50, 50));
        assertArrayEquals(new int[] {224, 448}, p.resizedSize(100, 200));
        ImageProcessor exact = new ImageProcessor(PreprocessorConfig.builder().size(ImageSize.exact(30, 40)).build());
        assertArrayEquals(new int[] {30, 40}, exact.resizedSize(480, 640));
    }

    @Test
    void centreCropStartsAtTheFlooredHalfDifference() {
        RgbImage img = coordinates(7, 5);
        RgbImage crop = img.centerCrop(2, 4);
        assertEquals(4, crop.width());
        assertEquals(2, crop.height());
        // top = (5 - 2) // 2 = 1, left = (7 - 4) // 2 = 1
        assertEquals(1, crop.get(0, 0, 0));
        assertEquals(1, crop.get(0, 0, 1));
        assertEquals(4, crop.get(3, 1, 0));
        assertEquals(2, crop.get(3, 1, 1));
        assertSame(img, img.centerCrop(5, 7));
    }

    @Test
    void centreCropZeroPadsSmallImagesLikeTransformers() {
        RgbImage img = coordinates(3, 2);
        RgbImage crop = img.centerCrop(4, 4);
        // Padding before = ceil((4 - 2) / 2) = 1 row and ceil((4 - 3) / 2) = 1 column.
        for (int x = 0; x < 4; x++) assertEquals(0, crop.get(x, 0, 2), "top row is padding");
        for (int y = 0; y < 4; y++) assertEquals(0, crop.get(0, y, 2), "left column is padding");
        assertEquals(200, crop.get(1, 1, 2));
        assertEquals(2, crop.get(3, 2, 0));
        assertEquals(1, crop.get(3, 2, 1));
        assertEquals(0, crop.get(3, 3, 2), "bottom row is padding");
    }

    @Test
    void normalisationOfAConstantColourMatchesNumpyExactly() {
        ImageProcessor p = new ImageProcessor(PreprocessorConfig.builder().resolution(3).build());
        float[] values = p.toPixelValues(p.prepare(RgbImage.filled(5, 4, 255, 0, 128)));
        assertEquals(27, values.length);
        // numpy: ((uint8 * (1/255)) as float32 - float32(mean)) / float32(std)
        float[] expected = {1.9303361177444458f, -1.7520971298217773f, 0.33994877338409424f};
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 9; i++) assertEquals(expected[c], values[c * 9 + i], 0f, "channel " + c);
    }

    @Test
    void rescaleAndNormaliseCanBeSwitchedOff() {
        ImageProcessor raw = new ImageProcessor(PreprocessorConfig.builder().resolution(2).doRescale(false).doNormalize(false).build());
        assertArrayEquals(new float[] {9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7}, raw.toPixelValues(raw.prepare(RgbImage.filled(2, 2, 9, 8, 7))));
        ImageProcessor rescaleOnly = new ImageProcessor(PreprocessorConfig.builder().resolution(1).doNormalize(false).build());
        assertArrayEquals(new float[] {1f, 0f, (float) (51 / 255.0)}, rescaleOnly.toPixelValues(rescaleOnly.prepare(RgbImage.filled(1, 1, 255, 0, 51))));
    }

    @Test
    void padToSquareCentresTheImageOnLlavasBackground() {
        PreprocessorConfig config = PreprocessorConfig.builder().imageAspectRatio("pad").build();
        assertArrayEquals(new int[] {122, 116, 104}, config.backgroundColor());
        RgbImage wide = coordinates(4, 2).expandToSquare(122, 116, 104);
        assertEquals(4, wide.width());
        assertEquals(4, wide.height());
        // Pasted at (0, (4 - 2) // 2 = 1): rows 0 and 3 are background.
        for (int x = 0; x < 4; x++) {
            assertEquals(122, wide.get(x, 0, 0));
            assertEquals(104, wide.get(x, 3, 2));
            assertEquals(x, wide.get(x, 1, 0));
            assertEquals(1, wide.get(x, 2, 1));
        }
        RgbImage tall = coordinates(2, 5).expandToSquare(1, 2, 3);
        // Pasted at ((5 - 2) // 2 = 1, 0): columns 0, 3 and 4 are background.
        for (int y = 0; y < 5; y++) {
            assertEquals(2, tall.get(0, y, 1));
            assertEquals(0, tall.get(1, y, 0));
            assertEquals(1, tall.get(2, y, 0));
            assertEquals(3, tall.get(3, y, 2));
            assertEquals(3, tall.get(4, y, 2));
        }
        RgbImage square = coordinates(3, 3);
        assertSame(square, square.expandToSquare(0, 0, 0));
    }

    @Test
    void producesChannelsFirstTensorsAndBatches() {
        try (PointerScope scope = new PointerScope()) {
            ImageProcessor p = new ImageProcessor(PreprocessorConfig.builder().resolution(8).build());
            BufferedImage a = PillowGoldenTest.pixels(20, 12, 3).toBufferedImage();
            BufferedImage b = PillowGoldenTest.pixels(9, 15, 4).toBufferedImage();
            Tensor single = p.preprocess(b);
            assertArrayEquals(new long[] {3, 8, 8}, Tensors.shape(single));
            float[] expected = p.toPixelValues(p.prepare(RgbImage.of(b)));
            assertArrayEquals(expected, Tensors.toFloatArray(single));
            Tensor batch = p.preprocessBatch(List.of(a, b));
            assertArrayEquals(new long[] {2, 3, 8, 8}, Tensors.shape(batch));
            float[] all = Tensors.toFloatArray(batch);
            assertArrayEquals(expected, Arrays.copyOfRange(all, 192, 384));
            assertArrayEquals(p.toPixelValues(p.prepare(RgbImage.of(a))), Arrays.copyOfRange(all, 0, 192));
        }
    }

    @Test
    void batchOfDifferentSizesWithoutCropIsRefused() {
        ImageProcessor p = new ImageProcessor(PreprocessorConfig.builder().size(ImageSize.shortestEdge(4)).doCenterCrop(false).build());
        List<BufferedImage> images = List.of(RgbImage.filled(4, 4, 0, 0, 0).toBufferedImage(), RgbImage.filled(8, 4, 0, 0, 0).toBufferedImage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.preprocessBatch(images));
        assertTrue(e.getMessage().contains("8x4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.preprocessBatch(List.of()));
    }
}
