package org.vco4j.model.llava;

import org.vco4j.model.image.ImageDimensions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.ModelFamilies;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.siglip.SiglipVisionConfig;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The interleave config.json as the hub writes it, the select strategies on SigLIP, and the legacy key layout. */
class LlavaInterleaveConfigTest {
    /** llava-hf/llava-interleave-qwen-0.5b-hf's config.json (docs: FORMATS §1b), without image_seq_length. */
    static ObjectNode hubConfig(String strategy) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"architectures":["LlavaForConditionalGeneration"],"ignore_index":-100,"image_token_index":151646,"model_type":"llava",
                 "projector_hidden_act":"gelu",
                 "text_config":{"_name_or_path":"Qwen/Qwen1.5-0.5B-Chat","architectures":["Qwen2ForCausalLM"],"bos_token_id":151643,
                   "eos_token_id":151645,"hidden_size":1024,"intermediate_size":2816,"max_position_embeddings":32768,"max_window_layers":21,
                   "model_type":"qwen2","num_attention_heads":16,"num_hidden_layers":24,"num_key_value_heads":16,"rope_theta":1000000.0,
                   "sliding_window":32768,"tie_word_embeddings":true,"torch_dtype":"bfloat16","use_sliding_window":false,"vocab_size":152000},
                 "torch_dtype":"bfloat16","transformers_version":"4.43.0.dev0",
                 "vision_config":{"hidden_act":"gelu_pytorch_tanh","hidden_size":1152,"image_size":384,"intermediate_size":4304,
                   "layer_norm_eps":1e-06,"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":26,
                   "patch_size":14,"vision_use_head":false},
                 "vision_feature_layer":-1,"vision_feature_select_strategy":"%s"}
                """.formatted(strategy));
    }

    @Test
    void readsTheHubConfig() throws Exception {
        LlavaConfig full = LlavaFamily.parse(hubConfig("full"));
        full.validate();
        assertInstanceOf(Qwen2Config.class, full.textConfig);
        assertInstanceOf(SiglipVisionConfig.class, full.visionConfig);
        assertEquals(151646, full.imageTokenIndex);
        assertTrue(full.tiesWordEmbeddings());
        assertEquals(729, full.featuresPerImage(), "27 × 27 patches, no class token");
        LlavaConfig dflt = LlavaFamily.parse(hubConfig("default"));
        dflt.validate();
        assertEquals(728, dflt.featuresPerImage(), "transformers' 'default' drops the first token even when it is a patch");
    }

    @Test
    void refusesOtherDecodersAndTowersNamingTheKey() throws Exception {
        ObjectNode text = hubConfig("full");
        ((ObjectNode) text.get("text_config")).put("model_type", "mistral");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LlavaFamily.parse(text).validate());
        assertTrue(e.getMessage().contains("text_config.model_type 'mistral'"), e.getMessage());
        ObjectNode vision = hubConfig("full");
        ((ObjectNode) vision.get("vision_config")).put("model_type", "dinov2");
        e = assertThrows(IllegalArgumentException.class, () -> LlavaFamily.parse(vision).validate());
        assertTrue(e.getMessage().contains("vision_config.model_type 'dinov2'"), e.getMessage());
        ObjectNode seq = hubConfig("full");
        seq.put("image_seq_length", 576);
        e = assertThrows(IllegalArgumentException.class, () -> LlavaFamily.parse(seq).validate());
        assertTrue(e.getMessage().contains("image_seq_length is 576 but the vision tower gives 729"), e.getMessage());
    }

    @Test
    void defaultStrategyOnSiglipKeepsProcessorAndModelInStep(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("default");
        ModelFamilies.named("llava").writeTiny(folder, "tiny-interleave", 5, false);
        ObjectNode config = (ObjectNode) Json.MAPPER.readTree(folder.resolve("config.json").toFile());
        config.put("vision_feature_select_strategy", "default");
        config.remove("image_seq_length");
        Files.write(folder.resolve("config.json"), Json.PRETTY.writeValueAsBytes(config));
        try (PretrainedVlm vlm = PretrainedVlm.load(folder, ParameterFactory.cpuFloat32());
             PointerScope scope = new PointerScope()) {
            assertEquals(15, vlm.processor().slots(List.of(new ImageDimensions(56, 56)))[0], "16 patches less the first, as transformers");
            Context two = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "Which is red?");
            long slots = Arrays.stream(vlm.processor().promptIds(two)).filter(id -> id == 3).count();
            assertEquals(30, slots);
            float[] logps = Tensors.toFloatArray(new Scorer(vlm.model(), vlm.processor())
                    .scoreWithoutGrad(List.of(new ScoreRequest("a", two, "the first")), false).logps());
            assertTrue(Float.isFinite(logps[0]));
        }
    }

    @Test
    void legacyKeysLoadToTheSameModel(@TempDir Path dir) throws Exception {
        ModelFamilies.named("llava").writeTiny(dir.resolve("current"), "tiny-interleave", 5, false);
        ModelFamilies.named("llava").writeTiny(dir.resolve("legacy"), "tiny-interleave", 5, true);
        assertTrue(org.vco4j.testing.TestCheckpoints.keys(dir.resolve("legacy/model.safetensors"))
                .contains("language_model.model.layers.0.self_attn.q_proj.bias"));
        Context one = new Context(List.of(TinyWorld.redCircle()), "Describe the image.");
        float[][] logps = new float[2][];
        int i = 0;
        for (String name : List.of("current", "legacy")) {
            try (PretrainedVlm vlm = PretrainedVlm.load(dir.resolve(name), ParameterFactory.cpuFloat32());
                 PointerScope scope = new PointerScope()) {
                logps[i++] = Tensors.toFloatArray(new Scorer(vlm.model(), vlm.processor())
                        .scoreWithoutGrad(List.of(new ScoreRequest("a", one, "a red circle")), false).logps());
            }
        }
        assertArrayEquals(logps[0], logps[1]);
    }
}
