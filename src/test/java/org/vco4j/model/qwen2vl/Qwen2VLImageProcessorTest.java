package org.vco4j.model.qwen2vl;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.tensor.Tensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Qwen2-VL's image processing: smart_resize, the two-frame patches in merge-window order, tokens per image. */
class Qwen2VLImageProcessorTest {
    /** Qwen/Qwen2-VL-2B-Instruct's preprocessor_config.json as the hub has it (official max_pixels). */
    private static final String HUB_CONFIG = """
            {"min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14, "temporal_patch_size": 2, "merge_size": 2,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
             "image_processor_type": "Qwen2VLImageProcessor", "processor_class": "Qwen2VLProcessor"}
            """;

    /**
     * Expected values from transformers' smart_resize (factor 28): 480×640 → round(17.14)=17, round(22.86)=23 → 476×644;
     * 42 and 70 are 1.5 and 2.5 factors, both rounded half to even to 2 → 56; 20×30 is below 3136 pixels, scaled by
     * √(3136/600) and ceiled → 56×84; 4000×3000 rounds to 4004×2996 (under the hub's 12,845,056) but above 1,003,520
     * it is scaled by √(12e6/1003520) and floored → 1148×840.
     */
    @Test
    void smartResizeAsTransformers() {
        assertEquals(new ImageDimensions(476, 644), Qwen2VLImageProcessor.smartResize(480, 640, 28, 3136, 12845056));
        assertEquals(new ImageDimensions(56, 56), Qwen2VLImageProcessor.smartResize(42, 70, 28, 3136, 12845056));
        assertEquals(new ImageDimensions(56, 84), Qwen2VLImageProcessor.smartResize(20, 30, 28, 3136, 12845056));
        assertEquals(new ImageDimensions(4004, 2996), Qwen2VLImageProcessor.smartResize(4000, 3000, 28, 3136, 12845056));
        assertEquals(new ImageDimensions(1148, 840), Qwen2VLImageProcessor.smartResize(4000, 3000, 28, 3136, 1003520));
        assertEquals(new ImageDimensions(728, 1316), Qwen2VLImageProcessor.smartResize(1080, 1920, 28, 3136, 1003520));
        assertThrows(IllegalArgumentException.class, () -> Qwen2VLImageProcessor.smartResize(10, 3000, 28, 3136, 1003520));
    }

    @Test
    void tokensPerImageFromTheHubConfig(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("preprocessor_config.json"), HUB_CONFIG);
        Qwen2VLImageProcessor processor = Qwen2VLImageProcessor.read(dir.resolve("preprocessor_config.json"));
        // 476×644 → 34×46 patches → 17×23 merged tokens.
        assertArrayEquals(new int[] {391, 4}, processor.slots(List.of(new ImageDimensions(480, 640), new ImageDimensions(42, 70))));
    }

    /** Each row is one 14×14 patch over both frames: (channel, frame, y, x); patches of a 2×2 window are consecutive. */
    @Test
    void patchesInMergeWindowOrder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("preprocessor_config.json"),
                "{\"min_pixels\": 3136, \"max_pixels\": 12845056, \"do_normalize\": false, \"do_rescale\": false}");
        Qwen2VLImageProcessor processor = Qwen2VLImageProcessor.read(dir.resolve("preprocessor_config.json"));
        int size = 56; // 4×4 patches, 2×2 merged tokens; 56 is already a multiple of 28, so no resampling changes values
        byte[] rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int patch = (y / 14) * 4 + x / 14; // row-major patch index in the 4×4 grid
                rgb[(y * size + x) * 3] = (byte) patch;
                rgb[(y * size + x) * 3 + 1] = (byte) (y % 14);
                rgb[(y * size + x) * 3 + 2] = (byte) (x % 14);
            }
        }
        try (PointerScope scope = new PointerScope()) {
            ImageInputs inputs = processor.preprocess(List.of(new RgbImage(size, size, rgb)));
            ImageInput image = inputs.images().get(0);
            assertEquals(16, image.rows());
            assertEquals(4, image.slots());
            assertEquals(4, image.gridHeight());
            assertEquals(4, image.gridWidth());
            float[] values = Tensors.toFloatArray(inputs.pixelValues());
            assertEquals(16 * 1176, values.length);
            // Window (0,0) holds patches 0, 1, 4, 5; window (0,1) patches 2, 3, 6, 7; then windows of the next rows.
            int[] expectedPatch = {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15};
            for (int row = 0; row < 16; row++) {
                int base = row * 1176;
                assertEquals(expectedPatch[row], values[base], "red of row " + row);
                // Channel 1 (green = y within the patch) starts after 2 frames × 196 red values; position (y=3, x=5).
                assertEquals(3, values[base + 2 * 196 + 3 * 14 + 5], "green at y=3");
                // The second frame repeats the first.
                assertEquals(values[base + 17], values[base + 196 + 17], "frames equal");
                assertEquals(5, values[base + 4 * 196 + 3 * 14 + 5], "blue at x=5");
            }
        }
    }
}
