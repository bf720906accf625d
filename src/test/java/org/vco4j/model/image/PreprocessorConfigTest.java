package org.vco4j.model.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessorConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreClipImageProcessors() {
        PreprocessorConfig c = PreprocessorConfig.clipDefaults();
        assertEquals(ImageSize.shortestEdge(224), c.size());
        assertEquals(ImageSize.exact(224, 224), c.cropSize());
        assertEquals(ResampleFilter.BICUBIC, c.resample());
        assertTrue(c.doResize() && c.doCenterCrop() && c.doRescale() && c.doNormalize() && c.doConvertRgb());
        assertEquals(1 / 255.0, c.rescaleFactor());
        assertArrayEquals(new double[] {0.48145466, 0.4578275, 0.40821073}, c.imageMean());
        assertArrayEquals(new double[] {0.26862954, 0.26130258, 0.27577711}, c.imageStd());
        assertNull(c.imageAspectRatio());
        assertFalse(c.padToSquare());
        assertEquals(c, PreprocessorConfig.fromJson(new ObjectMapper().createObjectNode()));
    }

    @Test
    void readsTheLegacyIntegerFormAndIgnoresUnknownKeys() throws IOException {
        // The shape of openai/clip-vit-large-patch14-336's file, which LLaVA-1.5 uses.
        Files.writeString(dir.resolve("preprocessor_config.json"), """
                {"crop_size": 336, "do_center_crop": true, "do_normalize": true, "do_resize": true,
                 "feature_extractor_type": "CLIPFeatureExtractor",
                 "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
                 "resample": 3, "size": 336}
                """);
        PreprocessorConfig c = PreprocessorConfig.read(dir);
        assertEquals(ImageSize.shortestEdge(336), c.size());
        assertEquals(ImageSize.exact(336, 336), c.cropSize());
    }

    @Test
    void readsDictionarySizesBilinearPadAndSquareSize() throws IOException {
        Path file = dir.resolve("custom.json");
        Files.writeString(file, """
                {"size": {"height": 30, "width": 40}, "crop_size": {"height": 20, "width": 10}, "resample": 2,
                 "do_rescale": false, "rescale_factor": 0.5, "image_mean": 0.5, "image_std": [1, 2, 3],
                 "image_aspect_ratio": "pad", "do_convert_rgb": null}
                """);
        PreprocessorConfig c = PreprocessorConfig.read(file);
        assertEquals(ImageSize.exact(30, 40), c.size());
        assertEquals(ImageSize.exact(20, 10), c.cropSize());
        assertEquals(ResampleFilter.BILINEAR, c.resample());
        assertFalse(c.doRescale());
        assertEquals(0.5, c.rescaleFactor());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, c.imageMean());
        assertArrayEquals(new double[] {1, 2, 3}, c.imageStd());
        assertTrue(c.padToSquare());
        assertArrayEquals(new int[] {127, 127, 127}, c.backgroundColor());
        assertTrue(c.doConvertRgb());

        JsonNode square = new ObjectMapper().readTree("{\"size\": {\"shortest_edge\": 64}, \"use_square_size\": true}");
        assertEquals(ImageSize.exact(64, 64), PreprocessorConfig.fromJson(square).size());
    }

    @Test
    void writesARealPreprocessorConfigThatReadsBack() throws IOException {
        PreprocessorConfig c = PreprocessorConfig.builder().resolution(32).imageAspectRatio("pad").build();
        c.write(dir);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("preprocessor_config.json").toFile());
        assertEquals("CLIPImageProcessor", json.get("image_processor_type").asText());
        assertEquals(32, json.get("size").get("shortest_edge").asInt());
        assertEquals(32, json.get("crop_size").get("height").asInt());
        assertEquals(32, json.get("crop_size").get("width").asInt());
        assertEquals(3, json.get("resample").asInt());
        assertEquals(0.00392156862745098, json.get("rescale_factor").asDouble());
        assertEquals(0.48145466, json.get("image_mean").get(0).asDouble());
        assertTrue(json.get("do_convert_rgb").asBoolean());
        assertEquals("pad", json.get("image_aspect_ratio").asText());
        assertEquals(c, PreprocessorConfig.read(dir));
        assertFalse(PreprocessorConfig.clipDefaults().toJson().has("image_aspect_ratio"));
    }

    @Test
    void errorsNameTheFile() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> PreprocessorConfig.read(dir));
        assertTrue(missing.getMessage().contains(dir.resolve("preprocessor_config.json").toString()), missing.getMessage());

        Path corrupt = dir.resolve("corrupt.json");
        Files.writeString(corrupt, "{\"size\": ");
        IOException bad = assertThrows(IOException.class, () -> PreprocessorConfig.read(corrupt));
        assertTrue(bad.getMessage().contains(corrupt.toString()) && bad.getMessage().contains("not valid JSON"), bad.getMessage());

        Path nearest = dir.resolve("nearest.json");
        Files.writeString(nearest, "{\"resample\": 0}");
        IOException invalid = assertThrows(IOException.class, () -> PreprocessorConfig.read(nearest));
        assertTrue(invalid.getMessage().contains(nearest.toString()) && invalid.getMessage().contains("bicubic"), invalid.getMessage());
    }

    @Test
    void rejectsInvalidValues() {
        ObjectMapper json = new ObjectMapper();
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson(json.readTree("{\"image_mean\": [0.5, 0.5]}")));
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson(json.readTree("{\"image_std\": [1, 0, 1]}")));
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson(json.readTree("{\"size\": {\"width\": 3}}")));
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson(json.readTree("{\"crop_size\": {\"shortest_edge\": 3}}")));
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson(json.readTree("{\"size\": -1}")));
        assertThrows(IllegalArgumentException.class, () -> PreprocessorConfig.fromJson(json.readTree("{\"do_resize\": \"yes\"}")));
        IllegalArgumentException anyres = assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.fromJson(json.readTree("{\"image_aspect_ratio\": \"anyres\"}")));
        assertTrue(anyres.getMessage().contains("anyres"));
    }
}
