package org.vco4j.model.qwen2vl;

import org.vco4j.testing.TestCheckpoints;
import org.vco4j.testing.ScoringChecks;
import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vco4j.common.Json;
import org.vco4j.model.KvCache;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Qwen2-VL at toy size end to end: hub layout, prompt, M-RoPE positions, scoring, shared prefixes, generation. */
class Qwen2VLTest {
    static PretrainedVlm vlm;
    static Qwen2VLForConditionalGeneration model;
    static int imagePad;

    /** The tiny checkpoint, written through the command line once per test JVM. */
    static synchronized Path tinyCheckpoint() {
        Path tiny = TinyWorld.root().resolve("tiny-qwen2-vl");
        if (!Files.isDirectory(tiny)) {
            Cli.Run run = Cli.vco("model", "init", "--family", "qwen2-vl", "--size", "tiny", "--seed", "5", "--out", tiny.toString());
            assertEquals(0, run.exitCode(), run.err());
        }
        return tiny;
    }

    @BeforeAll
    static void load() {
        vlm = PretrainedVlm.load(tinyCheckpoint(), ParameterFactory.cpuFloat32());
        model = (Qwen2VLForConditionalGeneration) vlm.model();
        imagePad = vlm.processor().imageTokenId();
    }

    @AfterAll
    static void close() {
        vlm.close();
    }

    @Test
    void writesTheHubLayout() throws IOException {
        Path folder = tinyCheckpoint();
        JsonNode config = Json.MAPPER.readTree(folder.resolve("config.json").toFile());
        assertEquals("qwen2_vl", config.get("model_type").asText());
        assertEquals("Qwen2VLForConditionalGeneration", config.at("/architectures/0").asText());
        assertEquals("{\"type\":\"mrope\",\"mrope_section\":[2,3,3]}", config.get("rope_scaling").toString());
        assertEquals(64, config.at("/vision_config/hidden_size").asInt());
        JsonNode preprocessor = Json.MAPPER.readTree(folder.resolve(PreprocessorConfig.FILE_NAME).toFile());
        assertEquals("Qwen2VLImageProcessor", preprocessor.get("image_processor_type").asText());
        for (String key : List.of("min_pixels", "max_pixels", "patch_size", "temporal_patch_size", "merge_size")) {
            assertTrue(preprocessor.has(key), key);
        }
        Set<String> keys = TestCheckpoints.keys(folder.resolve("model.safetensors"));
        assertEquals(new TreeSet<>(model.namedParameters().keySet()), keys);
        assertTrue(keys.containsAll(List.of("visual.patch_embed.proj.weight", "visual.blocks.1.attn.qkv.bias",
                "visual.merger.ln_q.weight", "visual.merger.mlp.2.weight", "model.embed_tokens.weight",
                "model.layers.1.self_attn.q_proj.bias", "model.norm.weight")), keys.toString());
        assertFalse(keys.stream().anyMatch(k -> k.startsWith("lm_head")), "tied embeddings: no lm_head");
        assertArrayEquals(new float[] {1, 1, 1}, Arrays.copyOf(Tensors.toFloatArray(
                model.namedParameters().get("visual.merger.ln_q.weight")), 3), "norm weights start at one");
        for (String token : List.of("<|vision_start|>", "<|image_pad|>", "<|vision_end|>", "<|im_end|>")) {
            assertEquals(1, vlm.tokenizer().encode(token, false).length, token);
        }
    }

    @Test
    void theTemplateRendersVisionTokensAndEachImagePadExpandsToItsMergedPatches() {
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
                        + "<|vision_start|><|image_pad|><|vision_end|>\nWhat is it?<|im_end|>\n<|im_start|>assistant\n",
                vlm.processor().template().render("<image>\nWhat is it?"));
        // 48×40 → smart_resize (min_pixels 3136) 56×84 → 4×6 patches → 2×3 = 6 tokens.
        Context context = new Context(List.of(TinyWorld.redCircle()), "What is it?");
        long[] ids = vlm.processor().promptIds(context);
        assertEquals(6, Arrays.stream(ids).filter(id -> id == imagePad).count());
        int first = indexOf(ids, imagePad);
        assertEquals(vlm.tokenizer().encode("<|vision_start|>", false)[0], ids[first - 1]);
        assertEquals(vlm.tokenizer().encode("<|vision_end|>", false)[0], ids[first + 6]);
        try (PointerScope scope = new PointerScope()) {
            ImageInputs inputs = vlm.processor().prepare(context).images();
            assertEquals(List.of(4, 6), List.of(inputs.images().get(0).gridHeight(), inputs.images().get(0).gridWidth()));
            assertEquals(6, model.encodeImages(inputs).size(0));
        }
        // A large image is bounded by max_pixels (168² → 12×12 patches → 36 tokens).
        assertArrayEquals(new int[] {36}, vlm.processor().slots(List.of(new ImageDimensions(1000, 1000))));
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) if (ids[i] == id) return i;
        return -1;
    }

    /** A grid of h × w patches (h·w rows of pixel values) taking h·w/4 tokens. */
    private static ImageInput grid(String name, int h, int w) {
        return new ImageInput(name, new ImageDimensions(h * 14, w * 14), h * w, h * w / 4, h, w);
    }

    private static ImageInputs images(ImageInput... images) {
        long rows = Arrays.stream(images).mapToLong(ImageInput::rows).sum();
        return new ImageInputs(org.bytedeco.pytorch.global.torch.zeros(rows, 1176), List.of(images));
    }

    private static long[][] positions(Tensor ids3) {
        long[] flat = Tensors.toLongArray(ids3);
        int n = flat.length / 3;
        return new long[][] {Arrays.copyOfRange(flat, 0, n), Arrays.copyOfRange(flat, n, 2 * n), Arrays.copyOfRange(flat, 2 * n, 3 * n)};
    }

    @Test
    void positionsOfOneImageResumeTextAfterItsLargestPosition() {
        long p = imagePad;
        try (PointerScope scope = new PointerScope(); KvCache cache = new KvCache(model.decoderLayers())) {
            // three text tokens, an image of 4×6 patches (2×3 merged tokens), two text tokens.
            Tensor ids = Tensors.longs(new long[] {100, 101, 102, p, p, p, p, p, p, 103, 104}, 1, 11);
            long[][] pos = positions(model.positionIds(ids, images(grid("a", 4, 6)), null, cache));
            assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7}, pos[0]);
            assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7}, pos[1]);
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7}, pos[2]);
            // delta = largest position + 1 − length = 8 − 11
            assertArrayEquals(new long[] {-3}, Tensors.toLongArray(cache.ropeDeltas()));
        }
    }

    @Test
    void positionsOfTwoImagesAndOfTextOnly() {
        long p = imagePad;
        try (PointerScope scope = new PointerScope()) {
            // [text, image 2×2 merged, text, image 1×1 merged, text]: the second image starts at the first's largest + 2.
            Tensor ids = Tensors.longs(new long[] {100, p, p, p, p, 101, p, 102}, 1, 8);
            long[][] pos = positions(model.positionIds(ids, images(grid("a", 4, 4), grid("b", 2, 2)), null, null));
            assertArrayEquals(new long[] {0, 1, 1, 1, 1, 3, 4, 5}, pos[0]);
            assertArrayEquals(new long[] {0, 1, 1, 2, 2, 3, 4, 5}, pos[1]);
            assertArrayEquals(new long[] {0, 1, 2, 1, 2, 3, 4, 5}, pos[2]);
            long[][] text = positions(model.positionIds(Tensors.longs(new long[] {107, 108, 109}, 1, 3), null, null, null));
            for (long[] axis : text) assertArrayEquals(new long[] {0, 1, 2}, axis, "text: three equal positions");
        }
    }

    @Test
    void leftPaddingStartsAtTheFirstRealToken() {
        long p = imagePad;
        try (PointerScope scope = new PointerScope(); KvCache cache = new KvCache(model.decoderLayers())) {
            // Row 0: two padding columns then the sequence; row 1: text only, no padding.
            Tensor ids = Tensors.longs(new long[] {0, 0, 100, p, p, p, p, 101, 120, 121, 122, 123, 124, 125, 126, 127}, 2, 8);
            Tensor keyValid = Tensors.longs(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 8)
                    .to(org.bytedeco.pytorch.global.torch.ScalarType.Bool);
            long[][] pos = positions(model.positionIds(ids, images(grid("a", 4, 4)), keyValid, cache));
            assertArrayEquals(new long[] {1, 1, 0, 1, 1, 1, 1, 3, 0, 1, 2, 3, 4, 5, 6, 7}, pos[0]);
            assertArrayEquals(new long[] {1, 1, 0, 1, 1, 2, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7}, pos[1]);
            assertArrayEquals(new long[] {1, 1, 0, 1, 2, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7}, pos[2]);
            // Row 0: 6 real tokens, largest 3 → delta −2; row 1: 0.
            assertArrayEquals(new long[] {-2, 0}, Tensors.toLongArray(cache.ropeDeltas()));
        }
    }

    @Test
    void anImageWithoutItsGridIsAnErrorNeverOneDimensionalPositions() {
        long p = imagePad;
        try (PointerScope scope = new PointerScope()) {
            Tensor ids = Tensors.longs(new long[] {100, p, p, p, p, 101}, 1, 6);
            ImageInputs noGrid = new ImageInputs(org.bytedeco.pytorch.global.torch.zeros(16, 1176),
                    List.of(new ImageInput("photo.png", new ImageDimensions(56, 56), 16, 4, 0, 0)));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> model.positionIds(ids, noGrid, null, null));
            assertTrue(missing.getMessage().startsWith("photo.png: no patch grid (image_grid_thw)"), missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.positionIds(ids, null, null, null), "image tokens without images");
            Tensor embeds = model.embed(Tensors.longs(new long[] {100, 101}, 1, 2), null);
            IllegalArgumentException noPositions = assertThrows(IllegalArgumentException.class, () -> model.decode(embeds, null, null));
            assertTrue(noPositions.getMessage().contains("M-RoPE decoder needs position ids"), noPositions.getMessage());
        }
    }

    @Test
    void cachedDecodingEqualsTheFullForward() {
        Context context = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "Describe the two images.");
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             KvCache cache = new KvCache(model.decoderLayers())) {
            var prompt = vlm.processor().prepare(context);
            long[] tail = vlm.tokenizer().encode("there is a red circle", false);
            long[] all = Arrays.copyOf(prompt.ids(), prompt.ids().length + tail.length);
            System.arraycopy(tail, 0, all, prompt.ids().length, tail.length);
            Tensor features = model.encodeImages(prompt.images());
            Tensor full = Tensors.longs(all, 1, all.length);
            Tensor fullHidden = model.decode(model.embed(full, features), model.positionIds(full, prompt.images(), null, null), null, null);
            float[] expected = Tensors.toFloatArray(model.logits(fullHidden.narrow(1, all.length - 1, 1)));

            Tensor prefix = Tensors.longs(prompt.ids(), 1, prompt.ids().length);
            model.decode(model.embed(prefix, features), model.positionIds(prefix, prompt.images(), null, cache), null, cache);
            float[] last = null;
            for (long token : tail) {
                Tensor step = Tensors.longs(new long[] {token}, 1, 1);
                last = Tensors.toFloatArray(model.logits(model.decode(model.embed(step, null),
                        model.positionIds(step, null, null, cache), null, cache)));
            }
            assertArrayEquals(expected, last, 1e-4f);
        }
    }

    static List<ScoreRequest> requests() {
        Context one = new Context(List.of(TinyWorld.redCircle()), "Describe the image.");
        Context two = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\n<image>\nWhat is in the first image?");
        return List.of(new ScoreRequest("one-a", one, "There is a red circle."),
                new ScoreRequest("one-b", one, "a blue square"),
                new ScoreRequest("two", two, "The first image shows a red circle."),
                new ScoreRequest("text", Context.textOnly("Describe the image."), "yes"));
    }

    @Test
    void paddedBatchesAndSharedPrefixesEqualOneByOne() {
        ScoringChecks.assertPaddedAndSharedEqualOneByOne(new Scorer(vlm.model(), vlm.processor()), requests());
    }

    @Test
    void theTowerAndTheMergerReceiveGradients() {
        Scorer scorer = new Scorer(vlm.model(), vlm.processor());
        var parameters = model.namedParameters();
        try (PointerScope scope = new PointerScope()) {
            model.requiresGrad(true);
            ScoredBatch batch = scorer.score(requests(), true);
            batch.logps().sum().backward();
            for (String name : List.of("visual.patch_embed.proj.weight", "visual.merger.mlp.2.weight", "model.layers.0.self_attn.q_proj.weight")) {
                Tensor grad = parameters.get(name).grad();
                assertTrue(grad.defined() && grad.abs().sum().item_double() > 0, name + " received no gradient");
            }
        } finally {
            model.requiresGrad(false);
            for (Tensor p : parameters.values()) if (p.grad().defined()) p.grad().zero_();
        }
    }

    @Test
    void cachedGenerationEqualsRecomputation() {
        Generator generator = new Generator(vlm.model(), vlm.processor());
        try (PointerScope scope = new PointerScope()) {
            for (Context condition : List.of(new Context(List.of(TinyWorld.redCircle()), "Describe the image."),
                    new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\n<image>\nDescribe the two images."))) {
                Generator.Generation cached = generator.generate(condition, GenerationConfig.greedy(8), true);
                Generator.Generation recomputed = generator.generate(condition, GenerationConfig.greedy(8), false);
                assertArrayEquals(recomputed.ids(), cached.ids());
                assertTrue(cached.ids().length > 0);
            }
        }
    }

    @Test
    void familyFactsForFreezingAndLora() {
        var family = vlm.family();
        assertEquals("qwen2-vl", family.name());
        assertTrue(family.isVisionTower("visual.blocks.0.attn.qkv.weight"));
        assertFalse(family.isVisionTower("visual.merger.mlp.0.weight"));
        assertTrue(family.isProjector("visual.merger.mlp.0.weight"));
        assertFalse(family.isProjector("model.layers.0.mlp.up_proj.weight"));
        assertEquals("visual.blocks.0.norm1.weight", family.moduleName("model.visual.blocks.0.norm1.weight"));
        assertEquals("model.layers.0.self_attn.q_proj.weight", family.moduleName("model.language_model.layers.0.self_attn.q_proj.weight"));
        assertEquals("lm_head.weight", family.moduleName("lm_head.weight"));
    }
}
