package org.vco4j.model.siglip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SiglipVisionConfigTest {
    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    private static String error(String s) throws Exception {
        JsonNode node = json(s);
        return assertThrows(IllegalArgumentException.class, () -> SiglipVisionConfig.fromJson("vision_config", node)).getMessage();
    }

    @Test
    void defaultsAreTransformers() throws Exception {
        SiglipVisionConfig c = org.vco4j.model.ConfigJson.read(json("{\"model_type\": \"siglip_vision_model\"}"),
                SiglipVisionConfig.class);
        assertEquals("siglip_vision_model", c.modelType);
        assertEquals(768, c.hiddenSize);
        assertEquals(3072, c.intermediateSize);
        assertEquals(12, c.numHiddenLayers);
        assertEquals(12, c.numAttentionHeads);
        assertEquals(3, c.numChannels);
        assertEquals(224, c.imageSize);
        assertEquals(16, c.patchSize);
        assertEquals("gelu_pytorch_tanh", c.hiddenAct);
        assertEquals(1e-6, c.layerNormEps);
        assertEquals(0.0, c.attentionDropout);
        assertTrue(c.visionUseHead);
        assertEquals(196, c.numPatches());
    }

    @Test
    void readsTheLlavaInterleaveVisionConfig() throws Exception {
        SiglipVisionConfig c = SiglipVisionConfig.fromJson("vision_config", json("""
                {"hidden_act":"gelu_pytorch_tanh","hidden_size":1152,"image_size":384,"intermediate_size":4304,
                 "layer_norm_eps":1e-06,"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":26,
                 "patch_size":14,"vision_use_head":false}
                """));
        assertEquals(1152, c.hiddenSize);
        assertEquals(4304, c.intermediateSize);
        assertEquals(26, c.numHiddenLayers);
        assertEquals(16, c.numAttentionHeads);
        assertEquals(729, c.numPatches());
        assertFalse(c.visionUseHead);
        SiglipVisionConfig so400m = SiglipVisionConfig.so400mLlava();
        assertEquals(so400m.hiddenSize, c.hiddenSize);
        assertEquals(so400m.intermediateSize, c.intermediateSize);
        assertEquals(so400m.numHiddenLayers, c.numHiddenLayers);
        assertEquals(so400m.numAttentionHeads, c.numAttentionHeads);
        assertEquals(so400m.imageSize, c.imageSize);
        assertEquals(so400m.patchSize, c.patchSize);
    }

    @Test
    void errorsNameTheKey() throws Exception {
        assertTrue(error("{\"vision_use_head\": true}").contains("vision_config.vision_use_head"));
        assertTrue(error("{}").contains("vision_config.vision_use_head"), "the class default (true) is refused too");
        String base = "\"vision_use_head\": false, ";
        String e = error("{" + base + "\"hidden_size\": 64.5}");
        assertTrue(e.startsWith("vision_config.hidden_size") && e.contains("64.5"), e);
        e = error("{" + base + "\"patch_size\": \"14\"}");
        assertTrue(e.startsWith("vision_config.patch_size"), e);
        e = error("{" + base + "\"image_size\": 10, \"patch_size\": 16}");
        assertTrue(e.startsWith("vision_config.patch_size"), e);
        e = error("{" + base + "\"hidden_size\": 1152, \"num_attention_heads\": 7}");
        assertTrue(e.contains("vision_config.hidden_size") && e.contains("num_attention_heads"), e);
        e = error("{" + base + "\"num_hidden_layers\": 0}");
        assertTrue(e.startsWith("vision_config.num_hidden_layers"), e);
        e = error("{" + base + "\"layer_norm_eps\": 0}");
        assertTrue(e.startsWith("vision_config.layer_norm_eps"), e);
        e = error("{" + base + "\"hidden_act\": \"swiglu\"}");
        assertTrue(e.startsWith("vision_config.hidden_act"), e);
        e = error("{" + base + "\"hidden_act\": null}");
        assertTrue(e.startsWith("vision_config.hidden_act"), e);
        e = error("{" + base + "\"attention_dropout\": 1.5}");
        assertTrue(e.startsWith("vision_config.attention_dropout"), e);
        e = error("{" + base + "\"model_type\": \"clip_vision_model\"}");
        assertTrue(e.startsWith("vision_config.model_type"), e);
        e = error("[1]");
        assertTrue(e.startsWith("vision_config must be an object"), e);
    }
}
