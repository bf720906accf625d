package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.ModelFamilies;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Qwen2-VL's config.json in its original and re-saved forms, and the errors of a bad one. */
class Qwen2VLConfigTest {
    /** Qwen/Qwen2-VL-2B-Instruct's config.json as the hub has it (transformers 4.41.2). */
    static final String HUB_2B = """
            {"architectures":["Qwen2VLForConditionalGeneration"],"attention_dropout":0.0,"bos_token_id":151643,"eos_token_id":151645,
             "vision_start_token_id":151652,"vision_end_token_id":151653,"vision_token_id":151654,"image_token_id":151655,"video_token_id":151656,
             "hidden_act":"silu","hidden_size":1536,"initializer_range":0.02,"intermediate_size":8960,"max_position_embeddings":32768,
             "max_window_layers":28,"model_type":"qwen2_vl","num_attention_heads":12,"num_hidden_layers":28,"num_key_value_heads":2,
             "rms_norm_eps":1e-06,"rope_theta":1000000.0,"sliding_window":32768,"tie_word_embeddings":true,"torch_dtype":"bfloat16",
             "transformers_version":"4.41.2","use_cache":true,"use_sliding_window":false,
             "vision_config":{"depth":32,"embed_dim":1280,"mlp_ratio":4,"num_heads":16,"in_chans":3,"hidden_size":1536,"patch_size":14,
               "spatial_merge_size":2,"spatial_patch_size":14,"temporal_patch_size":2},
             "rope_scaling":{"type":"mrope","mrope_section":[16,24,24]},"vocab_size":151936}
            """;

    /** The same model re-saved by transformers ≥ 4.52: a nested text_config, rope_type "default". */
    static final String RESAVED_2B = """
            {"architectures":["Qwen2VLForConditionalGeneration"],"model_type":"qwen2_vl","image_token_id":151655,"video_token_id":151656,
             "vision_start_token_id":151652,"vision_end_token_id":151653,"vision_token_id":151654,"tie_word_embeddings":true,
             "torch_dtype":"bfloat16","transformers_version":"4.56.0",
             "text_config":{"model_type":"qwen2_vl_text","attention_dropout":0.0,"bos_token_id":151643,"eos_token_id":151645,
               "hidden_act":"silu","hidden_size":1536,"initializer_range":0.02,"intermediate_size":8960,"max_position_embeddings":32768,
               "max_window_layers":28,"num_attention_heads":12,"num_hidden_layers":28,"num_key_value_heads":2,"rms_norm_eps":1e-06,
               "rope_scaling":{"mrope_section":[16,24,24],"rope_type":"default","type":"default"},"rope_theta":1000000.0,
               "sliding_window":32768,"use_cache":true,"use_sliding_window":false,"vocab_size":151936,
               "image_token_id":null,"video_token_id":null},
             "vision_config":{"depth":32,"embed_dim":1280,"hidden_act":"quick_gelu","hidden_size":1536,"in_channels":3,"in_chans":3,
               "initializer_range":0.02,"mlp_ratio":4,"model_type":"qwen2_vl","num_heads":16,"patch_size":14,"spatial_merge_size":2,
               "spatial_patch_size":14,"temporal_patch_size":2}}
            """;

    private static ObjectNode json(String text) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(text);
    }

    @Test
    void bothFormsOfTheSameModelGiveTheSameConfig() throws IOException {
        Qwen2VLConfig hub = Qwen2VLConfig.fromJson(json(HUB_2B));
        Qwen2VLConfig resaved = Qwen2VLConfig.fromJson(json(RESAVED_2B));
        assertEquals(hub, resaved);
        assertEquals(hub.toJson(), resaved.toJson());
        assertArrayEquals(new int[] {16, 24, 24}, hub.mropeSection);
        assertEquals(1536, hub.text.hiddenSize);
        assertEquals(2, hub.text.numKeyValueHeads);
        assertEquals(1e6, resaved.text.ropeTheta);
        assertTrue(resaved.tieWordEmbeddings);
        assertEquals(151655, resaved.imageTokenId);
        assertEquals(1280, resaved.vision.embedDim);
        // transformers 5's rope_parameters carry rope_theta; the written form reads back to the same config.
        ObjectNode v5 = json(RESAVED_2B);
        ObjectNode text = (ObjectNode) v5.get("text_config");
        text.remove("rope_scaling");
        text.remove("rope_theta");
        text.set("rope_parameters", json("{\"rope_type\":\"default\",\"mrope_section\":[16,24,24],\"rope_theta\":1000000.0}"));
        assertEquals(hub, Qwen2VLConfig.fromJson(v5));
        assertEquals(hub, Qwen2VLConfig.fromJson(hub.toJson()));
        // Both forms build the same module tree: every parameter of the same shape.
        var family = ModelFamilies.forModelType("qwen2_vl", "config.json");
        var hubShapes = family.parameterShapes(json(HUB_2B));
        var resavedShapes = family.parameterShapes(json(RESAVED_2B));
        assertEquals(hubShapes.keySet(), resavedShapes.keySet());
        hubShapes.forEach((name, shape) -> assertArrayEquals(shape, resavedShapes.get(name), name));
        assertFalse(hubShapes.containsKey("lm_head.weight"));
        assertArrayEquals(new long[] {1536, 5120}, hubShapes.get("visual.merger.mlp.2.weight"));
    }

    @Test
    void badRopeSettingsAreNamed() throws IOException {
        ObjectNode noSection = json(HUB_2B);
        ((ObjectNode) noSection.get("rope_scaling")).remove("mrope_section");
        assertEquals("rope_scaling.mrope_section is missing: M-RoPE needs the frequency slots of the temporal, height and width "
                + "positions, e.g. [16, 24, 24]", assertThrows(IllegalArgumentException.class, () -> Qwen2VLConfig.fromJson(noSection)).getMessage());
        ObjectNode noRope = json(HUB_2B);
        noRope.remove("rope_scaling");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Qwen2VLConfig.fromJson(noRope)).getMessage()
                .startsWith("rope_scaling is missing"));
        ObjectNode yarn = json(RESAVED_2B);
        ((ObjectNode) yarn.at("/text_config/rope_scaling")).put("rope_type", "yarn");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Qwen2VLConfig.fromJson(yarn)).getMessage()
                .startsWith("text_config.rope_scaling.rope_type \"yarn\" is not supported"));
        ObjectNode sum = json(HUB_2B);
        ((ObjectNode) sum.get("rope_scaling")).set("mrope_section", Json.MAPPER.readTree("[16,24,16]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Qwen2VLConfig.fromJson(sum)).getMessage()
                .contains("must add up to half the head dimension (64"));
        ObjectNode badText = json(RESAVED_2B);
        ((ObjectNode) badText.get("text_config")).put("hidden_size", "big");
        assertEquals("text_config.hidden_size must be an integer, got \"big\"",
                assertThrows(IllegalArgumentException.class, () -> Qwen2VLConfig.fromJson(badText)).getMessage());
        ObjectNode badTop = json(HUB_2B);
        badTop.put("num_attention_heads", 7);
        assertEquals("hidden_size (1536) must be divisible by num_attention_heads (7)",
                assertThrows(IllegalArgumentException.class, () -> Qwen2VLConfig.fromJson(badTop)).getMessage());
    }

    @Test
    void aBadConfigFailsLoadingInOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        ObjectNode noSection = json(HUB_2B);
        ((ObjectNode) noSection.get("rope_scaling")).remove("mrope_section");
        Files.writeString(dir.resolve("config.json"), noSection.toString());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> PretrainedVlm.load(dir, ParameterFactory.cpuFloat32()));
        assertEquals(dir.resolve("config.json") + ": rope_scaling.mrope_section is missing: M-RoPE needs the frequency slots of "
                + "the temporal, height and width positions, e.g. [16, 24, 24]", e.getMessage());
    }
}
