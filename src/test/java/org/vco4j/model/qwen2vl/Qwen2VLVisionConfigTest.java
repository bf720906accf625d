package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.vco4j.common.Json;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vision_config} of qwen2_vl checkpoints: transformers' defaults, both channel spellings, named errors. */
class Qwen2VLVisionConfigTest {
    private static Qwen2VLVisionConfig read(String json) throws Exception {
        return Qwen2VLVisionConfig.fromJson("vision_config", Json.MAPPER.readTree(json));
    }

    private static String error(String json) throws Exception {
        JsonNode node = Json.MAPPER.readTree(json);
        return assertThrows(IllegalArgumentException.class, () -> Qwen2VLVisionConfig.fromJson("vision_config", node)).getMessage();
    }

    @Test
    void defaultsAreTransformers() throws Exception {
        Qwen2VLVisionConfig c = read("{}");
        assertEquals(32, c.depth);
        assertEquals(1280, c.embedDim);
        assertEquals(3584, c.hiddenSize);
        assertEquals("quick_gelu", c.hiddenAct);
        assertEquals(4.0, c.mlpRatio);
        assertEquals(16, c.numHeads);
        assertEquals(3, c.inChannels);
        assertEquals(14, c.patchSize);
        assertEquals(2, c.spatialMergeSize);
        assertEquals(2, c.temporalPatchSize);
        assertEquals(80, c.headDim());
        assertEquals(5120, c.mlpHiddenDim());
        assertEquals(1176, c.patchValues());
        assertEquals(5120, c.mergedDim());
    }

    /** Qwen2-VL-2B-Instruct's vision_config as published (in_chans, the older spelling; spatial_patch_size unused). */
    @Test
    void readsQwen2Vl2bInstruct() throws Exception {
        Qwen2VLVisionConfig c = read("""
                {"depth":32,"embed_dim":1280,"mlp_ratio":4,"num_heads":16,"in_chans":3,"hidden_size":1536,"patch_size":14,
                 "spatial_merge_size":2,"spatial_patch_size":14,"temporal_patch_size":2}
                """);
        assertEquals(1536, c.hiddenSize);
        assertEquals(3, c.inChannels);
        assertEquals(1176, c.patchValues());
        assertEquals(1, read("{\"in_channels\": 1}").inChannels);
    }

    @Test
    void badValuesNameTheirKey() throws Exception {
        assertEquals("vision_config.embed_dim (1280) must be divisible by num_heads (7)", error("{\"num_heads\": 7}"));
        assertTrue(error("{\"embed_dim\": 40, \"num_heads\": 4}").startsWith("vision_config.embed_dim / num_heads (10) must be divisible by 4"));
        assertEquals("vision_config.depth must be >= 1, got 0", error("{\"depth\": 0}"));
        assertTrue(error("{\"depth\": 2.5}").startsWith("vision_config.depth must be"));
        assertTrue(error("{\"hidden_act\": \"swiglu\"}").startsWith("vision_config.hidden_act: unsupported activation 'swiglu'"));
        assertTrue(error("{\"mlp_ratio\": 0.0001}").startsWith("vision_config.mlp_ratio (1.0E-4) makes an MLP of 0 units"));
        assertEquals("vision_config.spatial_merge_size must be >= 1, got 0", error("{\"spatial_merge_size\": 0}"));
        assertTrue(error("[]").startsWith("vision_config must be an object"));
    }
}
