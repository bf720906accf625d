package org.vco4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco model init --config}: random checkpoints of a real config's shape, token ids included. */
class RandomCheckpointTest {

    /** llava-hf/llava-1.5-7b-hf's config.json with the text and vision shapes shrunk (ids and vocabulary kept). */
    private static final String LLAVA_15 = """
            {"architectures":["LlavaForConditionalGeneration"],"ignore_index":-100,"image_token_index":32000,"model_type":"llava",
             "pad_token_id":32001,"projector_hidden_act":"gelu",
             "text_config":{"_name_or_path":"lmsys/vicuna-7b-v1.5","architectures":["LlamaForCausalLM"],"max_position_embeddings":4096,
               "model_type":"llama","rms_norm_eps":1e-05,"torch_dtype":"float16","vocab_size":32064,
               "hidden_size":16,"intermediate_size":32,"num_hidden_layers":1,"num_attention_heads":2},
             "tie_word_embeddings":false,"torch_dtype":"float16","transformers_version":"4.36.0.dev0",
             "vision_config":{"hidden_size":16,"image_size":28,"intermediate_size":32,"model_type":"clip_vision_model",
               "num_attention_heads":2,"num_hidden_layers":2,"patch_size":14,"projection_dim":768,"vocab_size":32000},
             "vision_feature_layer":-2,"vision_feature_select_strategy":"default","vocab_size":32064}
            """;

    /** llava-hf/llava-interleave-qwen-0.5b-hf's config.json with the shapes shrunk (Qwen's ids and vocabulary kept). */
    private static final String INTERLEAVE = """
            {"architectures":["LlavaForConditionalGeneration"],"ignore_index":-100,"image_token_index":151646,"model_type":"llava",
             "projector_hidden_act":"gelu",
             "text_config":{"architectures":["Qwen2ForCausalLM"],"bos_token_id":151643,"eos_token_id":151645,"hidden_size":8,
               "intermediate_size":16,"max_position_embeddings":32768,"max_window_layers":1,"model_type":"qwen2",
               "num_attention_heads":2,"num_hidden_layers":1,"num_key_value_heads":1,"rope_theta":1000000.0,"sliding_window":32768,
               "tie_word_embeddings":true,"torch_dtype":"bfloat16","use_sliding_window":false,"vocab_size":152000},
             "torch_dtype":"bfloat16",
             "vision_config":{"hidden_act":"gelu_pytorch_tanh","hidden_size":8,"image_size":28,"intermediate_size":16,
               "layer_norm_eps":1e-06,"model_type":"siglip_vision_model","num_attention_heads":2,"num_hidden_layers":1,
               "patch_size":14,"vision_use_head":false},
             "vision_feature_layer":-1,"vision_feature_select_strategy":"full"}
            """;

    @Test
    void llava15ShapesIdsAndDtype(@TempDir Path dir) throws Exception {
        Path out = write(dir, LLAVA_15, "bf16");
        JsonNode config = Json.MAPPER.readTree(out.resolve("config.json").toFile());
        assertEquals("bfloat16", config.path("torch_dtype").asText());
        assertEquals(32064, config.path("text_config").path("vocab_size").asInt(), "the config is written as given");
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(out)) {
            ModelFamily family = ModelFamilies.forModelType("llava", "test");
            Map<String, long[]> shapes = family.parameterShapes(config);
            assertEquals(shapes.size(), weights.names().size());
            for (String key : weights.names()) {
                assertEquals("BF16", weights.info(key).dtype().code(), key);
                assertArrayEquals(shapes.get(family.moduleName(key)), weights.info(key).shape(), key);
            }
        }
        try (PointerScope scope = new PointerScope(); PretrainedVlm vlm = PretrainedVlm.load(out, ParameterFactory.cpuFloat32())) {
            assertEquals(32064, vlm.model().vocabSize());
            long[] ids = vlm.processor().promptIds(new Context(List.of(TinyWorld.redCircle()), "What is it?"));
            assertEquals(1, ids[0], "<s> at id 1");
            assertEquals(4, Arrays.stream(ids).filter(id -> id == 32000).count(), "(28/14)² image tokens at id 32000");
            assertEquals(2, vlm.processor().endOfSequenceId(), "</s> at id 2");
        }
        Cli.Run generate = Cli.vco("generate", "--model", out.toString(), "--image", TinyWorld.redCircle().toString(),
                "--prompt", "What is it?", "--max-new-tokens", "3");
        assertEquals(0, generate.exitCode(), generate.err());
    }

    @Test
    void interleaveChatMlTokensAtQwensIds(@TempDir Path dir) throws Exception {
        Path out = write(dir, INTERLEAVE, "fp32");
        try (PointerScope scope = new PointerScope(); PretrainedVlm vlm = PretrainedVlm.load(out, ParameterFactory.cpuFloat32())) {
            assertEquals(151645, vlm.processor().endOfSequenceId(), "<|im_end|> ends a turn");
            long[] ids = vlm.processor().promptIds(new Context(List.of(TinyWorld.redCircle()), "What is it?"));
            assertEquals(151644, ids[0], "ChatML starts with <|im_start|>");
            assertEquals(4, Arrays.stream(ids).filter(id -> id == 151646).count());
            assertEquals(4, vlm.processor().slots(List.of(new ImageDimensions(480, 640)))[0]);
            assertEquals(vlm.family().parameterShapes(Json.MAPPER.readTree(out.resolve("config.json").toFile())).values().stream()
                    .mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum(), vlm.model().module().parameterCount());
        }
    }

    /** llava-onevision-qwen2-0.5b-ov-hf's keys with toy shapes: 28 px tiles of 4 tokens, pinpoints up to 2×2 tiles. */
    private static final String ONEVISION = """
            {"architectures":["LlavaOnevisionForConditionalGeneration"],"ignore_index":-100,"image_token_index":151646,
             "video_token_index":151647,"model_type":"llava_onevision","vision_aspect_ratio":"anyres_max_9",
             "image_grid_pinpoints":[[28,28],[28,56],[56,28],[56,56]],"vision_feature_layer":-1,
             "vision_feature_select_strategy":"full","tie_word_embeddings":true,
             "text_config":{"model_type":"qwen2","bos_token_id":151643,"eos_token_id":151645,"hidden_size":8,
               "intermediate_size":16,"num_attention_heads":2,"num_hidden_layers":1,"num_key_value_heads":1,
               "max_position_embeddings":32768,"rope_theta":1000000.0,"tie_word_embeddings":true,"vocab_size":152000},
             "vision_config":{"model_type":"siglip_vision_model","hidden_size":8,"image_size":28,"intermediate_size":16,
               "num_attention_heads":2,"num_hidden_layers":1,"patch_size":14,"vision_use_head":false}}
            """;

    @Test
    void onevisionImageAndVideoTokensAndTiles(@TempDir Path dir) throws Exception {
        Path out = write(dir, ONEVISION, "fp32");
        try (PointerScope scope = new PointerScope(); PretrainedVlm vlm = PretrainedVlm.load(out, ParameterFactory.cpuFloat32())) {
            assertEquals("llava-onevision", vlm.family().name());
            assertEquals(151647, vlm.processor().tokenizer().tokenId("<video>"));
            long[] ids = vlm.processor().promptIds(new Context(List.of(TinyWorld.redCircle()), "What is it?"));
            assertEquals(vlm.processor().slots(List.of(new ImageDimensions(32, 32)))[0],
                    Arrays.stream(ids).filter(id -> id == 151646).count(), "a 32 px picture is tiled as the processor counts");
        }
        Cli.Run generate = Cli.vco("generate", "--model", out.toString(), "--image", TinyWorld.redCircle().toString(),
                "--prompt", "What is it?", "--max-new-tokens", "3");
        assertEquals(0, generate.exitCode(), generate.err());
    }

    /** Qwen2-VL-2B's re-saved (nested text_config) keys with toy shapes; the hub's token ids. */
    private static final String QWEN2_VL = """
            {"architectures":["Qwen2VLForConditionalGeneration"],"model_type":"qwen2_vl","image_token_id":151655,
             "video_token_id":151656,"vision_start_token_id":151652,"vision_end_token_id":151653,"tie_word_embeddings":true,
             "text_config":{"model_type":"qwen2_vl_text","bos_token_id":151643,"eos_token_id":151645,"hidden_size":16,
               "intermediate_size":32,"num_attention_heads":2,"num_hidden_layers":1,"num_key_value_heads":1,
               "max_position_embeddings":32768,"rope_theta":1000000.0,"vocab_size":151936,
               "rope_scaling":{"mrope_section":[2,1,1],"rope_type":"default","type":"default"}},
             "vision_config":{"depth":1,"embed_dim":8,"num_heads":2,"hidden_size":16,"patch_size":14,"spatial_merge_size":2,
               "temporal_patch_size":2,"model_type":"qwen2_vl"}}
            """;

    @Test
    void qwen2VlTokensAtTheHubsIds(@TempDir Path dir) throws Exception {
        Path out = write(dir, QWEN2_VL, "fp32");
        try (PointerScope scope = new PointerScope(); PretrainedVlm vlm = PretrainedVlm.load(out, ParameterFactory.cpuFloat32())) {
            assertEquals("qwen2-vl", vlm.family().name());
            assertEquals(151645, vlm.processor().endOfSequenceId(), "<|im_end|> ends a turn");
            long[] ids = vlm.processor().promptIds(new Context(List.of(TinyWorld.redCircle()), "What is it?"));
            assertEquals(151644, ids[0], "ChatML starts with <|im_start|>");
            int pad = vlm.processor().imageTokenId();
            assertEquals(151655, pad);
            assertEquals(6, Arrays.stream(ids).filter(id -> id == pad).count(), "48×40 → 56×84 → 2×3 merged patches");
            assertEquals(151652, vlm.processor().tokenizer().tokenId("<|vision_start|>"));
        }
        Cli.Run generate = Cli.vco("generate", "--model", out.toString(), "--image", TinyWorld.redCircle().toString(),
                "--prompt", "What is it?", "--max-new-tokens", "3");
        assertEquals(0, generate.exitCode(), generate.err());
    }

    @Test
    void sameSeedSameWeights(@TempDir Path dir) throws Exception {
        Path a = write(dir.resolve("a"), INTERLEAVE, "fp32");
        Path b = write(dir.resolve("b"), INTERLEAVE, "fp32");
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));
    }

    @Test
    void invalidConfigIsOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, INTERLEAVE.replace("\"num_attention_heads\":2,\"num_hidden_layers\":1,\"num_key_value_heads\":1",
                "\"num_attention_heads\":3,\"num_hidden_layers\":1,\"num_key_value_heads\":1"));
        Path out = dir.resolve("out");
        Cli.Run run = Cli.vco("model", "init", "--config", config.toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(config.toString()) && run.err().contains("num_attention_heads"), run.err());
        assertFalse(Files.exists(out));
    }

    private static Path write(Path dir, String configJson, String dtype) throws Exception {
        Files.createDirectories(dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, configJson);
        Path out = dir.resolve("checkpoint");
        Cli.Run run = Cli.vco("model", "init", "--config", config.toString(), "--dtype", dtype, "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        return out;
    }
}
