package org.vco4j.model.llava;

import org.vco4j.testing.TestCheckpoints;
import org.vco4j.model.image.ImageDimensions;
import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.cli.VcoCommand;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;
import org.vco4j.testing.FamilyTraining;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** LLaVA-NeXT-Interleave at toy size: SigLIP tower, Qwen2 decoder, ChatML, several images per prompt. */
class LlavaInterleaveTest {
    static Path folder;
    static PretrainedVlm vlm;

    @BeforeAll
    static void load() throws IOException {
        folder = TinyWorld.root().resolve("tiny-interleave");
        if (!Files.isDirectory(folder)) {
            assertEquals(0, VcoCommand.run("model", "init", "--family", "llava", "--size", "tiny-interleave", "--seed", "3",
                    "--out", folder.toString()));
        }
        vlm = PretrainedVlm.load(folder, ParameterFactory.cpuFloat32());
    }

    @AfterAll
    static void close() {
        vlm.close();
    }

    @Test
    void writesTheHubLayout() throws IOException {
        JsonNode config = Json.MAPPER.readTree(folder.resolve("config.json").toFile());
        assertEquals("llava", config.get("model_type").asText());
        assertEquals("qwen2", config.at("/text_config/model_type").asText());
        assertEquals("siglip_vision_model", config.at("/vision_config/model_type").asText());
        assertFalse(config.at("/vision_config/vision_use_head").asBoolean(true));
        assertEquals("full", config.get("vision_feature_select_strategy").asText());
        assertEquals(-1, config.get("vision_feature_layer").asInt());
        assertTrue(config.at("/text_config/tie_word_embeddings").asBoolean());
        PreprocessorConfig pre = PreprocessorConfig.read(folder.resolve(PreprocessorConfig.FILE_NAME));
        assertEquals(PreprocessorConfig.SIGLIP_PROCESSOR, pre.processorType());
        JsonNode tokenizer = Json.MAPPER.readTree(folder.resolve("tokenizer_config.json").toFile());
        assertEquals("<|im_end|>", tokenizer.get("eos_token").asText());

        Set<String> keys = TestCheckpoints.keys(folder.resolve("model.safetensors"));
        assertEquals(keys, vlm.model().module().namedParameters().keySet().stream().collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        for (String key : List.of("model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight",
                "model.vision_tower.vision_model.embeddings.patch_embedding.weight",
                "model.vision_tower.vision_model.post_layernorm.weight",
                "model.language_model.layers.0.self_attn.q_proj.bias",
                "model.language_model.layers.0.self_attn.k_proj.bias",
                "model.language_model.embed_tokens.weight",
                "model.multi_modal_projector.linear_1.weight", "model.multi_modal_projector.linear_2.bias")) {
            assertTrue(keys.contains(key), key + " missing from " + keys);
        }
        assertFalse(keys.contains("lm_head.weight"), "tied embeddings: no lm_head");
        assertFalse(keys.contains("model.language_model.layers.0.self_attn.o_proj.bias"), "Qwen2's o_proj has no bias");
        assertTrue(keys.stream().noneMatch(k -> k.contains("class_embedding") || k.contains("pre_layrnorm")), "SigLIP has neither");
    }

    @Test
    void processorTokenCountEqualsTheModelsFeatureCount() {
        LlavaForConditionalGeneration model = (LlavaForConditionalGeneration) vlm.model();
        LlavaConfig config = model.config();
        // 56 / 14 = 4 patches a side, no class token, strategy "full": every patch (as 729 = 27² at 384 px).
        assertEquals(16, config.featuresPerImage());
        assertEquals(16, vlm.processor().slots(List.of(new ImageDimensions(480, 640)))[0]);
        Context two = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\n<image>\nCompare them.");
        long[] ids = vlm.processor().promptIds(two);
        long slots = Arrays.stream(ids).filter(id -> id == config.imageTokenIndex).count();
        try (PointerScope scope = new PointerScope()) {
            Tensor features = model.encodeImages(vlm.processor().prepare(two).images());
            assertEquals(slots, features.size(0), "one feature row per image slot");
            assertEquals(2 * 16, slots);
        }
        String text = vlm.processor().decode(ids);
        assertNotNull(text);
    }

    @Test
    void chatMlPrompt() {
        String rendered = vlm.processor().template().render("<image>\nWhat is it?");
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<image>\nWhat is it?<|im_end|>\n"
                + "<|im_start|>assistant\n", rendered);
    }

    @Test
    void scoresOneAndTwoImages() {
        Scorer scorer = new Scorer(vlm.model(), vlm.processor());
        Context one = new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image.");
        Context two = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\n<image>\nWhat is in the first image?");
        Context swapped = new Context(List.of(TinyWorld.blueSquare(), TinyWorld.redCircle()), "<image>\n<image>\nWhat is in the first image?");
        List<ScoreRequest> requests = List.of(new ScoreRequest("one", one, "There is a red circle."),
                new ScoreRequest("two", two, "The first image shows a red circle."),
                new ScoreRequest("swapped", swapped, "The first image shows a red circle."));
        try (PointerScope scope = new PointerScope()) {
            float[] batched = Tensors.toFloatArray(scorer.scoreWithoutGrad(requests, true).logps());
            for (float logp : batched) assertTrue(Float.isFinite(logp) && logp < 0, Arrays.toString(batched));
            assertNotEquals(batched[1], batched[2], "the images take part in the score");
            for (int i = 0; i < requests.size(); i++) {
                float alone = Tensors.toFloatArray(scorer.scoreWithoutGrad(List.of(requests.get(i)), false).logps())[0];
                assertEquals(alone, batched[i], 1e-3f, "batched and alone agree for " + requests.get(i).id());
            }
        }
    }

    @Test
    void cachedDecodingEqualsRecomputation() {
        Generator generator = new Generator(vlm.model(), vlm.processor());
        Context condition = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\n<image>\nDescribe the two images.");
        try (PointerScope scope = new PointerScope()) {
            for (GenerationConfig config : List.of(GenerationConfig.greedy(10), new GenerationConfig(10, 1.0, 0.9, 5))) {
                Generator.Generation cached = generator.generate(condition, config, true);
                Generator.Generation recomputed = generator.generate(condition, config, false);
                assertArrayEquals(recomputed.ids(), cached.ids());
                assertTrue(cached.ids().length > 0);
            }
        }
    }

    @Test
    void trainsSVcoWithLoraAndIcVcoFullyThenExportsAndReloads(@TempDir Path dir) throws IOException {
        FamilyTraining.trainExportReload(folder, "llava", dir);
    }
}
