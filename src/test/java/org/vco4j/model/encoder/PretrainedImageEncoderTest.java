package org.vco4j.model.encoder;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vco4j.common.Json;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.image.ResampleFilter;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class PretrainedImageEncoderTest {
    @TempDir
    Path dir;

    private Path tiny(String modelType) throws IOException {
        Path folder = dir.resolve(modelType);
        PretrainedImageEncoder.writeTiny(modelType, folder, false, 1);
        return folder;
    }

    private static PretrainedImageEncoder load(Path folder) {
        return PretrainedImageEncoder.load(folder, ParameterFactory.cpuFloat32());
    }

    @Test
    void fullClipAndSiglipFoldersHoldTheirTextTowers() throws IOException {
        try (SafetensorsFile clip = SafetensorsFile.open(tiny("clip").resolve("model.safetensors"));
             SafetensorsFile siglip = SafetensorsFile.open(tiny("siglip").resolve("model.safetensors"))) {
            for (String key : List.of("visual_projection.weight", "text_projection.weight", "logit_scale",
                    "text_model.encoder.layers.0.self_attn.q_proj.weight", "vision_model.pre_layrnorm.weight")) {
                assertTrue(clip.contains(key), key);
            }
            for (String key : List.of("vision_model.head.probe", "vision_model.head.attention.in_proj_weight", "logit_bias",
                    "text_model.head.weight", "text_model.final_layer_norm.weight")) {
                assertTrue(siglip.contains(key), key);
            }
        }
        var config = Json.MAPPER.readTree(dir.resolve("clip/config.json").toFile());
        assertEquals("clip", config.get("model_type").asText());
        assertEquals("clip_vision_model", config.get("vision_config").get("model_type").asText());
        assertEquals(6, config.get("projection_dim").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"clip", "clip_vision_model", "siglip", "siglip_vision_model", "dinov2"})
    void embeddingsAreUnitNormDeterministicAndIndependentOfTheBatch(String modelType) throws IOException {
        Path folder = tiny(modelType);
        RgbImage a = EncoderImages.gradient(30, 20, 1);
        RgbImage b = EncoderImages.gradient(20, 30, 2);
        RgbImage c = EncoderImages.gradient(25, 25, 3);
        float[][] alone;
        float[][] batched;
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(folder)) {
            alone = encoder.embed(List.of(a));
            batched = encoder.embed(List.of(b, a, c));
        }
        float[][] again;
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(folder)) {
            again = encoder.embed(List.of(b, a, c));
        }
        assertArrayEquals(batched, again, "a reload gives the same embeddings");
        for (float[] row : batched) assertEquals(1.0, norm(row), 1e-6);
        assertArrayEquals(alone[0], batched[1], 1e-6f, "image a alone and inside a batch");
        assertTrue(cosine(batched[0], batched[2]) < 0.999, "different images differ");
    }

    /** The sanity property of an image embedding: a resized or cropped copy stays closer than another picture. */
    @ParameterizedTest
    @ValueSource(strings = {"clip", "siglip", "dinov2"})
    void aResizedOrCroppedCopyStaysCloserThanAnotherImage(String modelType) throws IOException {
        RgbImage original = EncoderImages.gradient(64, 48, 5);
        RgbImage resized = original.resize(80, 60, ResampleFilter.BILINEAR);
        RgbImage cropped = original.centerCrop(44, 60);
        RgbImage other = EncoderImages.gradient(64, 48, 6);
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(tiny(modelType))) {
            float[][] e = encoder.embed(List.of(original, resized, cropped, other));
            double toOther = cosine(e[0], e[3]);
            assertTrue(cosine(e[0], e[1]) > toOther, modelType + ": resized " + cosine(e[0], e[1]) + " vs other " + toOther);
            assertTrue(cosine(e[0], e[2]) > toOther, modelType + ": cropped " + cosine(e[0], e[2]) + " vs other " + toOther);
        }
    }

    @Test
    void aClipVisionFolderWithoutProjectionGivesThePooledOutput() throws IOException {
        Path folder = tiny("clip_vision_model");
        rewriteWeights(folder, key -> key.equals("visual_projection.weight") ? null : key);
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(folder)) {
            assertEquals(8, encoder.embeddingSize(), "CLIPVisionModel: pooler_output of the hidden size");
            assertEquals(8, encoder.embed(List.of(EncoderImages.gradient(16, 16, 1)))[0].length);
        }
    }

    /** Older CLIP exports carry the {@code position_ids} buffers (int64); they fill no parameter and are skipped. */
    @Test
    void positionIdBuffersOfOlderExportsAreSkipped() throws IOException {
        Path folder = tiny("clip");
        try (PointerScope scope = new PointerScope()) {
            Path file = folder.resolve("model.safetensors");
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            try (SafetensorsFile weights = SafetensorsFile.open(file)) {
                for (String key : weights.names()) tensors.put(key, weights.load(key));
            }
            tensors.put("vision_model.embeddings.position_ids", Tensors.longs(new long[17], 1, 17));
            tensors.put("text_model.embeddings.position_ids", Tensors.longs(new long[8], 1, 8));
            SafetensorsWriter.write(file, tensors);
        }
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(folder)) {
            assertEquals(6, encoder.embed(List.of(EncoderImages.gradient(16, 16, 1)))[0].length);
        }
    }

    @Test
    void aDinov2ClassificationFolderLoadsItsBackbone() throws IOException {
        Path folder = tiny("dinov2");
        RgbImage image = EncoderImages.gradient(20, 24, 4);
        float[][] expected;
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(folder)) {
            expected = encoder.embed(List.of(image));
        }
        rewriteWeights(folder, key -> "dinov2." + key);
        try (PointerScope scope = new PointerScope(); PretrainedImageEncoder encoder = load(folder)) {
            assertArrayEquals(expected, encoder.embed(List.of(image)));
        }
    }

    @Test
    void badFoldersFailNamingFileAndKey() throws IOException {
        Path siglip = tiny("siglip_vision_model");
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(siglip.resolve("config.json").toFile());
        config.put("vision_use_head", false);
        Files.writeString(siglip.resolve("config.json"), config.toString());
        ModelLoadException noHead = assertThrows(ModelLoadException.class, () -> load(siglip));
        assertTrue(noHead.getMessage().contains("config.json") && noHead.getMessage().contains("vision_use_head"), noHead.getMessage());

        Path dinov2 = tiny("dinov2");
        config = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(dinov2.resolve("config.json").toFile());
        config.put("model_type", "llava");
        Files.writeString(dinov2.resolve("config.json"), config.toString());
        ModelLoadException unknown = assertThrows(ModelLoadException.class, () -> load(dinov2));
        assertTrue(unknown.getMessage().contains("not an image encoder") && unknown.getMessage().contains("dinov2"), unknown.getMessage());

        Path clip = tiny("clip");
        rewriteWeights(clip, key -> key.equals("vision_model.post_layernorm.weight") ? null : key);
        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> load(clip));
        assertTrue(missing.getMessage().contains("vision_model.post_layernorm.weight"), missing.getMessage());
    }

    /** facebook/dinov2-base's preprocessor_config.json: BitImageProcessor, shortest edge 256, centre crop 224. */
    @Test
    void bitImageProcessorResizesTheShortEdgeAndCropsTheCentre() throws IOException {
        Path file = dir.resolve("preprocessor_config.json");
        Files.writeString(file, "{\"crop_size\": {\"height\": 224, \"width\": 224}, \"do_center_crop\": true,"
                + " \"do_convert_rgb\": true, \"do_normalize\": true, \"do_rescale\": true, \"do_resize\": true,"
                + " \"image_mean\": [0.485, 0.456, 0.406], \"image_processor_type\": \"BitImageProcessor\","
                + " \"image_std\": [0.229, 0.224, 0.225], \"resample\": 3, \"rescale_factor\": 0.00392156862745098,"
                + " \"size\": {\"shortest_edge\": 256}}");
        ImageProcessor processor = new ImageProcessor(PreprocessorConfig.read(file));
        assertArrayEquals(new int[] {384, 256}, processor.resizedSize(300, 200), "short side 256, long side int(256·300/200)");
        try (PointerScope scope = new PointerScope()) {
            RgbImage grey = RgbImage.filled(200, 300, 128, 128, 128);
            Tensor pixels = processor.preprocess(grey);
            assertArrayEquals(new long[] {3, 224, 224}, Tensors.shape(pixels));
            float red = Tensors.toFloatArray(pixels.contiguous())[0];
            assertEquals(((float) (128 / 255.0) - 0.485f) / 0.229f, red, 1e-6f, "ImageNet mean and std");
        }
    }

    private static void rewriteWeights(Path folder, Function<String, String> rename) throws IOException {
        Path file = folder.resolve("model.safetensors");
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            try (SafetensorsFile weights = SafetensorsFile.open(file)) {
                for (String key : weights.names()) {
                    String renamed = rename.apply(key);
                    if (renamed != null) tensors.put(renamed, weights.load(key));
                }
            }
            SafetensorsWriter.write(file, tensors);
        }
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    static double cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s / (norm(a) * norm(b));
    }
}
