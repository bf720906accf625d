package org.vco4j.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** SiglipImageProcessor settings through the shared {@link PreprocessorConfig} / {@link ImageProcessor}. */
class SiglipImageProcessingTest {
    @TempDir
    Path dir;

    /** The shape of llava-interleave-qwen-0.5b-hf's preprocessor_config.json. */
    private static final String INTERLEAVE = """
            {"do_convert_rgb": null, "do_normalize": true, "do_rescale": true, "do_resize": true,
             "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor",
             "image_std": [0.5, 0.5, 0.5], "processor_class": "LlavaProcessor", "resample": 3,
             "rescale_factor": 0.00392156862745098, "size": {"height": 384, "width": 384}}
            """;

    private static PreprocessorConfig interleave() throws IOException {
        return PreprocessorConfig.fromJson(new ObjectMapper().readTree(INTERLEAVE));
    }

    @Test
    void readsTheInterleaveFileAsAnExactResizeWithoutCrop() throws IOException {
        PreprocessorConfig c = interleave();
        assertEquals("SiglipImageProcessor", c.processorType());
        assertEquals(ImageSize.exact(384, 384), c.size());
        assertFalse(c.doCenterCrop());
        assertEquals(ResampleFilter.BICUBIC, c.resample());
        assertEquals(1 / 255.0, c.rescaleFactor());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, c.imageMean());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, c.imageStd());
        assertFalse(c.padToSquare());
    }

    @Test
    void siglipDefaultsAreTransformers() throws IOException {
        PreprocessorConfig d = PreprocessorConfig.siglipDefaults();
        assertEquals(ImageSize.exact(224, 224), d.size());
        assertFalse(d.doCenterCrop());
        assertEquals(ResampleFilter.BICUBIC, d.resample());
        assertTrue(d.doResize() && d.doRescale() && d.doNormalize());
        assertArrayEquals(PreprocessorConfig.STANDARD_MEAN, d.imageMean());
        assertArrayEquals(PreprocessorConfig.STANDARD_STD, d.imageStd());
        // A SigLIP file without the keys gets SigLIP's defaults, not CLIP's crop and statistics.
        assertEquals(d, PreprocessorConfig.fromJson(new ObjectMapper().readTree("{\"image_processor_type\": \"SiglipImageProcessor\"}")));
        PreprocessorConfig fast = PreprocessorConfig.fromJson(new ObjectMapper().readTree("{\"image_processor_type\": \"SiglipImageProcessorFast\"}"));
        assertFalse(fast.doCenterCrop());
        assertEquals("SiglipImageProcessorFast", fast.processorType());
        // Without a type (or with CLIP's), absent keys still mean CLIP's defaults.
        assertEquals(PreprocessorConfig.clipDefaults(), PreprocessorConfig.fromJson(new ObjectMapper().readTree("{\"image_processor_type\": \"CLIPImageProcessor\"}")));
        assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.fromJson(new ObjectMapper().readTree("{\"image_processor_type\": 3}")));
    }

    @Test
    void exactSizeWithCentreCropOffWorksWithoutAType() throws IOException {
        PreprocessorConfig c = PreprocessorConfig.fromJson(new ObjectMapper().readTree(
                "{\"size\": {\"height\": 384, \"width\": 384}, \"do_center_crop\": false, \"image_mean\": 0.5, \"image_std\": 0.5}"));
        RgbImage img = PillowGoldenTest.pixels(50, 20, 7);
        assertEquals(img.resize(384, 384, ResampleFilter.BICUBIC), new ImageProcessor(c).prepare(img));
    }

    @Test
    void writesASiglipFileThatReadsBack() throws IOException {
        PreprocessorConfig c = interleave();
        c.write(dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("preprocessor_config.json").toFile());
        assertEquals("SiglipImageProcessor", json.get("image_processor_type").asText());
        assertEquals(384, json.get("size").get("height").asInt());
        assertEquals(384, json.get("size").get("width").asInt());
        assertFalse(json.has("crop_size") || json.has("do_center_crop"), json::toString);
        assertEquals(0.5, json.get("image_mean").get(0).asDouble());
        assertEquals(c, PreprocessorConfig.read(dir));
        assertNotEquals(c, c.toBuilder().processorType(PreprocessorConfig.CLIP_PROCESSOR).build());
    }

    @Test
    void constantImagesMapToPlusAndMinusOne() throws IOException {
        ImageProcessor p = new ImageProcessor(interleave());
        try (PointerScope scope = new PointerScope()) {
            Tensor white = p.preprocess(RgbImage.filled(10, 7, 255, 255, 255));
            assertArrayEquals(new long[] {3, 384, 384}, white.sizes().vec().get());
            assertEquals(1.0f, white.min().item_float());
            assertEquals(1.0f, white.max().item_float());
            Tensor black = p.preprocess(RgbImage.filled(7, 10, 0, 0, 0));
            assertEquals(-1.0f, black.min().item_float());
            assertEquals(-1.0f, black.max().item_float());
        }
        // A mid-grey level: float32(51 / 255) = 0.2 -> (0.2 - 0.5) / 0.5 = -0.6 in float32 arithmetic.
        float[] values = p.toPixelValues(RgbImage.filled(2, 2, 51, 102, 204));
        assertEquals((((float) (51 / 255.0)) - 0.5f) / 0.5f, values[0]);
        assertEquals((((float) (102 / 255.0)) - 0.5f) / 0.5f, values[4]);
        assertEquals((((float) (204 / 255.0)) - 0.5f) / 0.5f, values[8]);
        assertEquals(-0.6f, values[0], 1e-6f);
    }

    @Test
    void resizingTo384IgnoresTheAspectRatio() throws IOException {
        ImageProcessor p = new ImageProcessor(interleave());
        for (int[] wh : new int[][] {{500, 200}, {90, 640}, {384, 384}, {30, 30}}) {
            RgbImage img = PillowGoldenTest.pixels(wh[0], wh[1], wh[0] * 31L + wh[1]);
            assertArrayEquals(new int[] {384, 384}, p.resizedSize(wh[1], wh[0]));
            RgbImage prepared = p.prepare(img);
            assertEquals(384, prepared.width());
            assertEquals(384, prepared.height());
            assertEquals(img.resize(384, 384, ResampleFilter.BICUBIC), prepared);
        }
        // Different aspect ratios batch together since every image comes out 384×384.
        try (PointerScope scope = new PointerScope()) {
            Tensor batch = p.preprocessBatch(List.of(PillowGoldenTest.pixels(50, 20, 1).toBufferedImage(),
                    PillowGoldenTest.pixels(20, 60, 2).toBufferedImage()));
            assertArrayEquals(new long[] {2, 3, 384, 384}, batch.sizes().vec().get());
        }
    }
}
