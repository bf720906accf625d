package org.vco4j.model.qwen2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.vco4j.model.ConfigJson;

import static org.junit.jupiter.api.Assertions.*;

class Qwen2ConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Qwen2Config read(String json) throws Exception {
        JsonNode tree = JSON.readTree(json);
        return ConfigJson.read(tree, Qwen2Config.class);
    }

    private static String invalid(String json) throws Exception {
        try {
            read(json).validate("text_config");
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return fail("accepted " + json);
    }

    @Test
    void onlyModelTypeGivesTransformersDefaults() throws Exception {
        Qwen2Config c = read("{\"model_type\":\"qwen2\"}");
        c.validate("text_config");
        assertEquals("qwen2", c.modelType);
        assertEquals(151936, c.vocabSize);
        assertEquals(4096, c.hiddenSize);
        assertEquals(22016, c.intermediateSize);
        assertEquals(32, c.numHiddenLayers);
        assertEquals(32, c.numAttentionHeads);
        assertEquals(32, c.numKeyValueHeads);
        assertEquals("silu", c.hiddenAct);
        assertEquals(32768, c.maxPositionEmbeddings);
        assertEquals(1e-6, c.rmsNormEps);
        assertEquals(10000.0, c.ropeTheta);
        assertFalse(c.tieWordEmbeddings);
        assertFalse(c.useSlidingWindow);
        assertEquals(4096, c.slidingWindow);
        assertEquals(28, c.maxWindowLayers);
        assertEquals(0.0, c.attentionDropout);
        assertNull(c.bosTokenId);
        assertNull(c.eosTokenId);
        assertNull(c.ropeScaling);
        assertEquals(128, c.spec().headDimension());
        assertTrue(c.spec().qkvBias());
        assertFalse(c.spec().outputBias());
        assertFalse(c.spec().mlpBias());
    }

    @Test
    void interleaveTextConfigReads() throws Exception {
        // llava-interleave-qwen-0.5b-hf text_config (docs: FORMATS.md 1b)
        Qwen2Config c = read("{\"_name_or_path\":\"Qwen/Qwen1.5-0.5B-Chat\",\"architectures\":[\"Qwen2ForCausalLM\"],"
                + "\"bos_token_id\":151643,\"eos_token_id\":151645,\"hidden_size\":1024,\"intermediate_size\":2816,"
                + "\"max_position_embeddings\":32768,\"max_window_layers\":21,\"model_type\":\"qwen2\","
                + "\"num_attention_heads\":16,\"num_hidden_layers\":24,\"num_key_value_heads\":16,"
                + "\"rope_theta\":1000000.0,\"sliding_window\":32768,\"tie_word_embeddings\":true,"
                + "\"torch_dtype\":\"bfloat16\",\"use_sliding_window\":false,\"vocab_size\":152000}");
        c.validate("text_config");
        assertEquals(1e6, c.ropeTheta);
        assertTrue(c.tieWordEmbeddings);
        assertEquals(151645, c.eosTokenId);
        assertEquals(64, c.spec().headDimension());
        // Qwen2-7B-Instruct writes "sliding_window": null and "rope_scaling": null
        read("{\"sliding_window\":null,\"rope_scaling\":null,\"num_key_value_heads\":4,\"num_attention_heads\":28,"
                + "\"hidden_size\":3584}").validate("text_config");
    }

    @Test
    void errorsNameTheKey() throws Exception {
        assertTrue(invalid("{\"hidden_size\":0}").contains("text_config.hidden_size"));
        assertTrue(invalid("{\"num_key_value_heads\":5}").contains("text_config.num_attention_heads"));
        assertTrue(invalid("{\"num_key_value_heads\":64}").contains("text_config.num_key_value_heads"));
        assertTrue(invalid("{\"rope_theta\":-1}").contains("text_config.rope_theta"));
        assertTrue(invalid("{\"rms_norm_eps\":0}").contains("text_config.rms_norm_eps"));
        assertTrue(invalid("{\"max_position_embeddings\":0}").contains("text_config.max_position_embeddings"));
        assertTrue(invalid("{\"max_window_layers\":-1}").contains("text_config.max_window_layers"));
        assertTrue(invalid("{\"sliding_window\":0}").contains("text_config.sliding_window"));
        assertTrue(invalid("{\"eos_token_id\":151936}").contains("text_config.eos_token_id"));
        assertTrue(invalid("{\"attention_dropout\":0.1}").contains("text_config.attention_dropout"));
        assertTrue(invalid("{\"rope_scaling\":{\"type\":\"mrope\"}}").contains("text_config.rope_scaling"));
        String sliding = invalid("{\"use_sliding_window\":true}");
        assertTrue(sliding.contains("text_config.use_sliding_window") && sliding.contains("not implemented"), sliding);
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> read("{\"vocab_size\":1.5}"));
        assertTrue(type.getMessage().contains("vocab_size"), type.getMessage());
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> read("{\"use_sliding_window\":\"no\"}"));
        assertTrue(flag.getMessage().contains("use_sliding_window"), flag.getMessage());
    }
}
