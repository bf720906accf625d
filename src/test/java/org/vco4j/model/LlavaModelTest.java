package org.vco4j.model;

import org.vco4j.testing.TestImages;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.llava.LlavaConfig;
import org.vco4j.model.llava.LlavaForConditionalGeneration;
import org.vco4j.model.llava.LlavaKeyLayout;
import org.vco4j.model.llava.LlavaSizes;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.tensor.Tensors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LlavaModelTest {
    static LlavaConfig tinyConfig() {
        return LlavaSizes.config("tiny", 50, 4, 1, 2, 3);
    }

    static LlavaForConditionalGeneration tinyModel(long seed) {
        LlavaForConditionalGeneration model = new LlavaForConditionalGeneration(ParameterFactory.cpuFloat32(), tinyConfig());
        RandomInit.apply(model, seed, 0.2);
        return model;
    }

    @Test
    void parameterNamesFollowHuggingFace() {
        try (LlavaForConditionalGeneration model = tinyModel(1)) {
            Map<String, Tensor> names = model.namedParameters();
            for (String key : List.of(
                    "model.vision_tower.vision_model.embeddings.class_embedding",
                    "model.vision_tower.vision_model.embeddings.patch_embedding.weight",
                    "model.vision_tower.vision_model.embeddings.position_embedding.weight",
                    "model.vision_tower.vision_model.pre_layrnorm.weight",
                    "model.vision_tower.vision_model.encoder.layers.1.self_attn.out_proj.bias",
                    "model.vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight",
                    "model.vision_tower.vision_model.post_layernorm.bias",
                    "model.multi_modal_projector.linear_1.weight",
                    "model.multi_modal_projector.linear_2.bias",
                    "model.language_model.embed_tokens.weight",
                    "model.language_model.layers.1.self_attn.k_proj.weight",
                    "model.language_model.layers.0.mlp.gate_proj.weight",
                    "model.language_model.layers.0.post_attention_layernorm.weight",
                    "model.language_model.norm.weight",
                    "lm_head.weight")) {
                assertTrue(names.containsKey(key), key);
            }
            // GQA: 4 query heads of 16, 2 key/value heads.
            assertArrayEquals(new long[] {32, 64}, Tensors.shape(names.get("model.language_model.layers.0.self_attn.k_proj.weight")));
        }
    }

    @Test
    void legacyAndCurrentKeyLayoutsLoadTheSameModel() {
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration source = tinyModel(7);
             LlavaForConditionalGeneration fromCurrent = tinyModel(8);
             LlavaForConditionalGeneration fromLegacy = tinyModel(9)) {
            Map<String, Tensor> current = new LinkedHashMap<>();
            Map<String, Tensor> legacy = new LinkedHashMap<>();
            source.namedParameters().forEach((name, t) -> {
                current.put(LlavaKeyLayout.CURRENT.toCheckpointKey(name), t);
                legacy.put(LlavaKeyLayout.LEGACY.toCheckpointKey(name), t);
            });
            assertTrue(legacy.containsKey("language_model.model.embed_tokens.weight"));
            assertTrue(legacy.containsKey("language_model.lm_head.weight"));
            assertTrue(legacy.containsKey("vision_tower.vision_model.pre_layrnorm.weight"));
            assertTrue(legacy.containsKey("multi_modal_projector.linear_1.weight"));
            WeightLoader.load(fromCurrent, new MemoryWeights(current, "current"), LlavaKeyLayout::toModuleName);
            WeightLoader.load(fromLegacy, new MemoryWeights(legacy, "legacy"), LlavaKeyLayout::toModuleName);
            for (Map.Entry<String, Tensor> e : source.namedParameters().entrySet()) {
                assertTrue(torch.equal(e.getValue(), fromCurrent.namedParameters().get(e.getKey())), e.getKey());
                assertTrue(torch.equal(e.getValue(), fromLegacy.namedParameters().get(e.getKey())), e.getKey());
            }
        }
    }

    @Test
    void missingAndMisshapenTensorsAreNamed() {
        try (PointerScope scope = new PointerScope(); LlavaForConditionalGeneration model = tinyModel(1)) {
            Map<String, Tensor> weights = new LinkedHashMap<>(model.namedParameters());
            weights.remove("model.language_model.norm.weight");
            ModelLoadException missing = assertThrows(ModelLoadException.class,
                    () -> WeightLoader.load(model, new MemoryWeights(weights, "ckpt"), LlavaKeyLayout::toModuleName));
            assertTrue(missing.getMessage().contains("model.language_model.norm.weight"), missing.getMessage());

            weights.put("model.language_model.norm.weight", Tensors.floats(new float[3], 3));
            ModelLoadException shape = assertThrows(ModelLoadException.class,
                    () -> WeightLoader.load(model, new MemoryWeights(weights, "ckpt"), LlavaKeyLayout::toModuleName));
            assertTrue(shape.getMessage().contains("model.language_model.norm.weight")
                    && shape.getMessage().contains("[3]") && shape.getMessage().contains("[64]"), shape.getMessage());
        }
    }

    @Test
    void cachedDecodingEqualsFullRecomputation() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             LlavaForConditionalGeneration model = tinyModel(3)) {
            Tensor pixels = torch.randn(2, 3, 32, 32);
            Tensor features = model.encodeImages(TestImages.inputs(pixels, 16));
            assertArrayEquals(new long[] {32, 64}, Tensors.shape(features));
            long[] ids = new long[40];
            for (int i = 0; i < ids.length; i++) ids[i] = 5 + (i * 7) % 40;
            for (int i = 2; i < 34; i++) ids[i] = 4; // two images of 16 slots
            Tensor input = Tensors.longs(ids, 1, ids.length);
            Tensor embeds = model.embed(input, features);
            Tensor full = model.logits(model.decode(embeds, null, null));

            try (KvCache cache = new KvCache(model.decoderLayers())) {
                Tensor prefix = model.logits(model.decode(embeds.narrow(1, 0, 36), null, cache));
                List<Tensor> steps = new java.util.ArrayList<>();
                steps.add(prefix);
                for (int t = 36; t < 40; t++) steps.add(model.logits(model.decode(embeds.narrow(1, t, 1), null, cache)));
                Tensor incremental = Tensors.cat(steps, 1);
                assertTrue(torch.allclose(full, incremental, 1e-5, 1e-5, false), "cached and recomputed logits differ");
                assertEquals(40, cache.length());
            }
        }
    }

    @Test
    void paddingDoesNotChangeRealPositions() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             LlavaForConditionalGeneration model = tinyModel(4)) {
            Tensor alone = model.logits(model.decode(model.embed(Tensors.longs(new long[] {1, 20, 21}, 1, 3), null), null, null));
            Tensor batch = Tensors.longs(new long[] {1, 9, 10, 11, 12, 13, 1, 20, 21, 3, 3, 3}, 2, 6);
            Tensor keyValid = Tensors.longs(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0}, 2, 6).to(torch.ScalarType.Bool);
            Tensor padded = model.logits(model.decode(model.embed(batch, null), keyValid, null));
            assertTrue(torch.allclose(alone.select(0, 0), padded.select(0, 1).narrow(0, 0, 3), 1e-5, 1e-5, false));
        }
    }
}
