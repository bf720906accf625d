package org.vco4j.model.llava.onevision;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.ModelFamilies;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.image.ImageSize;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.siglip.SiglipVisionConfig;
import org.vco4j.testing.Cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** config.json of llava-hf/llava-onevision-qwen2-0.5b-ov-hf as the hub writes it, the class defaults and the key layouts. */
class LlavaOnevisionConfigTest {
    static final ModelFamily FAMILY = ModelFamilies.named("llava-onevision");

    /**
     * The hub config's known keys (FORMATS §1c): architectures, the 36 pinpoints, image_token_index, a Qwen2-0.5B text
     * config and the conversion script's 26-layer SigLIP; everything else from LlavaOnevisionConfig's defaults.
     */
    static ObjectNode hubConfig() throws Exception {
        ObjectNode config = (ObjectNode) Json.MAPPER.readTree("""
                {"_name_or_path":"/raid/raushan/ov-500","architectures":["LlavaOnevisionForConditionalGeneration"],
                 "ignore_index":-100,"image_token_index":151646,"model_type":"llava_onevision",
                 "text_config":{"_name_or_path":"Qwen/Qwen2-0.5B-Instruct","architectures":["Qwen2ForCausalLM"],
                   "bos_token_id":151643,"eos_token_id":151645,"hidden_size":896,"intermediate_size":4864,
                   "max_position_embeddings":32768,"max_window_layers":24,"model_type":"qwen2","num_attention_heads":14,
                   "num_hidden_layers":24,"num_key_value_heads":2,"rope_theta":1000000.0,"sliding_window":32768,
                   "tie_word_embeddings":true,"torch_dtype":"bfloat16","use_sliding_window":false,"vocab_size":152000},
                 "torch_dtype":"float16",
                 "vision_config":{"hidden_size":1152,"image_size":384,"intermediate_size":4304,"model_type":"siglip_vision_model",
                   "num_attention_heads":16,"num_hidden_layers":26,"patch_size":14,"vision_use_head":false}}
                """);
        config.set("image_grid_pinpoints", Json.MAPPER.valueToTree(LlavaOnevisionConfig.squareGrid(384, 6)));
        return config;
    }

    @Test
    void readsTheHubConfigWithTransformersDefaults() throws Exception {
        LlavaOnevisionConfig config = LlavaOnevisionFamily.parse(hubConfig());
        config.validate();
        assertEquals(151646, config.imageTokenIndex);
        assertEquals(151647, config.videoTokenIndex);
        assertEquals("full", config.visionFeatureSelectStrategy);
        assertEquals(-1, config.visionFeatureLayer);
        assertEquals("anyres_max_9", config.visionAspectRatio);
        assertEquals(9, config.maxNumPatches());
        assertEquals("gelu", config.projectorHiddenAct);
        assertFalse(config.tieWordEmbeddings, "LlavaOnevisionConfig's default");
        assertTrue(config.tiesWordEmbeddings(), "Qwen2-0.5B ties its head to the embeddings");
        assertEquals(729, config.featuresPerImage());
        assertInstanceOf(Qwen2Config.class, config.textConfig);
        assertEquals(2, config.textConfig.numKeyValueHeads);
    }

    @Test
    void parameterShapesMatchTheHubWeights() throws Exception {
        Map<String, long[]> shapes = FAMILY.parameterShapes(hubConfig());
        assertArrayEquals(new long[] {896}, shapes.get("model.image_newline"));
        assertArrayEquals(new long[] {896, 1152}, shapes.get("model.multi_modal_projector.linear_1.weight"));
        assertArrayEquals(new long[] {152000, 896}, shapes.get("model.language_model.embed_tokens.weight"));
        assertFalse(shapes.containsKey("lm_head.weight"), "tied");
        assertTrue(shapes.containsKey("model.vision_tower.vision_model.encoder.layers.25.mlp.fc2.weight"));
        assertFalse(shapes.containsKey("model.vision_tower.vision_model.encoder.layers.26.mlp.fc2.weight"), "26 layers");
    }

    @Test
    void subConfigsWithoutModelTypeAreQwen2AndSiglip() throws Exception {
        ObjectNode json = hubConfig();
        ((ObjectNode) json.get("text_config")).remove("model_type");
        ((ObjectNode) json.get("vision_config")).remove("model_type");
        LlavaOnevisionConfig config = LlavaOnevisionFamily.parse(json);
        config.validate();
        assertInstanceOf(Qwen2Config.class, config.textConfig);
        assertInstanceOf(SiglipVisionConfig.class, config.visionConfig);

        ObjectNode bare = Json.MAPPER.createObjectNode().put("model_type", "llava_onevision");
        LlavaOnevisionConfig defaults = LlavaOnevisionFamily.parse(bare);
        defaults.validate();
        assertEquals(1152, defaults.visionConfig.hiddenSize);
        assertEquals(26, defaults.visionConfig.numHiddenLayers);
        assertEquals(384, defaults.visionConfig.imageSize);
        assertEquals(36, defaults.imageGridPinpoints.size());
        assertEquals(2, FAMILY.defaultedKeys(bare).size());
    }

    @Test
    void badKeysAreNamed() throws Exception {
        ObjectNode ratio = hubConfig().put("vision_aspect_ratio", "anyres");
        assertTrue(message(ratio).startsWith("vision_aspect_ratio 'anyres' is not supported"), message(ratio));

        ObjectNode pinpoints = hubConfig();
        pinpoints.putArray("image_grid_pinpoints").addArray().add(384).add(500);
        assertTrue(message(pinpoints).startsWith("image_grid_pinpoints[0] is [384, 500]"), message(pinpoints));

        ObjectNode fractional = hubConfig();
        fractional.putArray("image_grid_pinpoints").addArray().add(384).add(384.5);
        assertTrue(message(fractional).contains("image_grid_pinpoints"), message(fractional));

        ObjectNode strategy = hubConfig().put("vision_feature_select_strategy", "default");
        assertTrue(message(strategy).contains("leaves 728 features per tile"), message(strategy));

        ObjectNode video = hubConfig().put("video_token_index", 200000);
        assertTrue(message(video).startsWith("video_token_index"), message(video));

        ObjectNode llava = hubConfig().put("model_type", "llava");
        assertEquals("model_type 'llava' is not 'llava_onevision'", message(llava));
    }

    private static String message(ObjectNode json) {
        return assertThrows(IllegalArgumentException.class, () -> LlavaOnevisionFamily.parse(json).validate()).getMessage();
    }

    @Test
    void preprocessorConfigTakesTheClassDefaultsAndMustMatchThePinpoints(@TempDir Path dir) throws Exception {
        AnyresGrid grid = new LlavaOnevisionConfig().anyresGrid();
        Path file = dir.resolve(PreprocessorConfig.FILE_NAME);
        Files.writeString(file, "{\"image_processor_type\": \"LlavaOnevisionImageProcessor\"}");
        PreprocessorConfig defaults = LlavaOnevisionImageProcessor.read(file, grid).settings();
        assertArrayEquals(PreprocessorConfig.CLIP_MEAN, defaults.imageMean(), "the class default is OpenAI CLIP's, not 0.5");
        assertEquals(ImageSize.exact(384, 384), defaults.size());
        assertFalse(defaults.doCenterCrop());

        // The hub file (FORMATS §1c): SigLIP statistics, the same 36 pinpoints.
        ObjectNode hub = Json.MAPPER.createObjectNode().put("image_processor_type", "LlavaOnevisionImageProcessor").put("do_pad", true)
                .put("resample", 3).put("rescale_factor", 1 / 255.0);
        hub.putArray("image_mean").add(0.5).add(0.5).add(0.5);
        hub.putArray("image_std").add(0.5).add(0.5).add(0.5);
        hub.putObject("size").put("height", 384).put("width", 384);
        hub.set("image_grid_pinpoints", Json.MAPPER.valueToTree(LlavaOnevisionConfig.squareGrid(384, 6)));
        Files.writeString(file, hub.toString());
        assertArrayEquals(PreprocessorConfig.STANDARD_MEAN, LlavaOnevisionImageProcessor.read(file, grid).settings().imageMean());

        hub.set("image_grid_pinpoints", Json.MAPPER.valueToTree(LlavaOnevisionConfig.squareGrid(384, 2)));
        Files.writeString(file, hub.toString());
        String pinpoints = assertThrows(IOException.class, () -> LlavaOnevisionImageProcessor.read(file, grid)).getMessage();
        assertTrue(pinpoints.contains(file.toString()) && pinpoints.contains("image_grid_pinpoints [[384,384],[384,768],"), pinpoints);

        hub.set("image_grid_pinpoints", Json.MAPPER.valueToTree(LlavaOnevisionConfig.squareGrid(384, 6)));
        hub.put("do_pad", "yes");
        Files.writeString(file, hub.toString());
        assertTrue(assertThrows(IOException.class, () -> LlavaOnevisionImageProcessor.read(file, grid)).getMessage()
                .endsWith("do_pad must be true or false, got \"yes\""));

        hub.put("do_pad", true).put("image_processor_type", "SiglipImageProcessor");
        Files.writeString(file, hub.toString());
        assertTrue(assertThrows(IOException.class, () -> LlavaOnevisionImageProcessor.read(file, grid)).getMessage()
                .contains("image_processor_type 'SiglipImageProcessor' is not LlavaOnevisionImageProcessor"));
    }

    @Test
    void aProcessorConfigThatCountsOtherwiseIsRefusedAtLoad(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        try (var files = Files.list(LlavaOnevisionTest.tinyCheckpoint())) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        ObjectNode processor = (ObjectNode) Json.MAPPER.readTree(copy.resolve("processor_config.json").toFile());
        Files.writeString(copy.resolve("processor_config.json"), processor.put("num_image_tokens", 729).toString());
        Cli.Run info = Cli.vco("model", "info", "--model", copy.toString());
        assertEquals(2, info.exitCode());
        assertTrue(info.err().contains("num_image_tokens is 729 but the vision tower gives 16 per tile"), info.err());
    }

    @Test
    void bothKeyLayouts() {
        assertEquals("model.image_newline", FAMILY.moduleName("image_newline"));
        assertEquals("model.image_newline", FAMILY.moduleName("model.image_newline"));
        assertEquals("image_newline", FAMILY.checkpointKey("model.image_newline", true));
        assertEquals("model.image_newline", FAMILY.checkpointKey("model.image_newline", false));
        assertEquals("model.language_model.layers.0.self_attn.q_proj.bias",
                FAMILY.moduleName("language_model.model.layers.0.self_attn.q_proj.bias"));
        assertEquals("model.vision_tower.vision_model.post_layernorm.weight",
                FAMILY.moduleName("vision_tower.vision_model.post_layernorm.weight"));
        assertEquals("lm_head.weight", FAMILY.moduleName("language_model.lm_head.weight"));
        assertEquals(java.util.List.of("llava_onevision"), FAMILY.modelTypes());
        assertFalse(FAMILY.isProjector("model.image_newline"), "trained with the language model, as LLaVA-NeXT does");
        assertTrue(FAMILY.isProjector("model.multi_modal_projector.linear_1.weight"));
        assertFalse(FAMILY.isVisionTower("model.image_newline"));
    }
}
