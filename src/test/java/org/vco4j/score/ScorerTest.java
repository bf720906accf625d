package org.vco4j.score;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;
import org.vco4j.tensor.Tensors;
import org.vco4j.testing.TinyWorld;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ScorerTest {
    static PretrainedVlm vlm;
    static Scorer scorer;

    @BeforeAll
    static void load() {
        vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
        scorer = new Scorer(vlm.model(), vlm.processor());
    }

    @AfterAll
    static void close() {
        vlm.close();
    }

    static List<ScoreRequest> mixedBatch() {
        Context red = new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image.");
        Context blue = new Context(List.of(TinyWorld.blueSquare()), "<image>\nDescribe the image.");
        Context both = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()),
                "<image>\n<image>\nWhat is in the first image?");
        Context none = Context.textOnly("Describe the image.");
        return List.of(
                new ScoreRequest("a", red, "There is a red circle."),
                new ScoreRequest("b", red, "There is a blue square on the left of the image."),
                new ScoreRequest("c", blue, "a blue square"),
                new ScoreRequest("d", none, "There is a red circle."),
                new ScoreRequest("e", both, "The first image shows a red circle.", List.of(new int[] {24, 34})),
                new ScoreRequest("f", none, "yes"));
    }

    @Test
    void everyPromptFormFollowsTheOnePromptRule() {
        Context placed = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\n<image>\nDescribe the image.");
        Context implicit = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "Describe the image.");
        assertArrayEquals(vlm.processor().promptIds(placed), vlm.processor().promptIds(implicit),
                "a prompt without placeholders gets one per image in front");
        try (PointerScope scope = new PointerScope()) {
            float[] logps = Tensors.toFloatArray(scorer.scoreWithoutGrad(List.of(new ScoreRequest("placed", placed, "a red circle"),
                    new ScoreRequest("implicit", implicit, "a red circle")), false).logps());
            assertEquals(logps[0], logps[1], 0f);
        }
        Context tooFew = new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "<image>\nDescribe the image.");
        assertEquals("the prompt has 1 <image> placeholder(s) but 2 image(s) were given: \"<image>\nDescribe the image.\"",
                assertThrows(IllegalArgumentException.class, () -> vlm.processor().promptIds(tooFew)).getMessage());
    }

    @Test
    void logProbabilitiesAreFiniteAndNotPositive() {
        try (PointerScope scope = new PointerScope()) {
            ScoredBatch batch = scorer.scoreWithoutGrad(mixedBatch(), false);
            for (float logp : Tensors.toFloatArray(batch.logps())) assertTrue(Float.isFinite(logp) && logp <= 0, "logp " + logp);
            // "There is a red circle." = 5 words + "." + </s>
            assertEquals(7, batch.tokens()[0]);
            // the mask [24, 34) covers "red circle" only
            assertEquals(2, batch.tokens()[4]);
        }
    }

    @Test
    void paddedBatchEqualsOneByOne() {
        assertBatchScoresAsOneByOne(mixedBatch());
    }

    @Test
    void rowsOfVeryDifferentLengthsScoreAsOneByOne() {
        // A long response puts its row in a batch of its own (PaddingBuckets); the scores are the same as alone.
        List<ScoreRequest> requests = new ArrayList<>(mixedBatch());
        requests.add(new ScoreRequest("long", requests.get(0).context(), "There is a red circle. ".repeat(60).trim()));
        requests.add(new ScoreRequest("long-blind", Context.textOnly("Describe the image."), "a blue square ".repeat(80).trim()));
        assertBatchScoresAsOneByOne(requests);
    }

    private static void assertBatchScoresAsOneByOne(List<ScoreRequest> requests) {
        try (PointerScope scope = new PointerScope()) {
            float[] batched = Tensors.toFloatArray(scorer.scoreWithoutGrad(requests, false).logps());
            for (int i = 0; i < requests.size(); i++) {
                float alone = Tensors.toFloatArray(scorer.scoreWithoutGrad(List.of(requests.get(i)), false).logps())[0];
                assertEquals(alone, batched[i], 1e-5 * Math.max(1, Math.abs(alone)), requests.get(i).id());
            }
        }
    }

    @Test
    void paddingToAMultipleReusesAFewShapesAndChangesNoScore() {
        // Twelve batches of responses of every length from 1 to 12 words, with and without shared prefixes.
        List<List<ScoreRequest>> batches = new ArrayList<>();
        Context red = new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image.");
        for (int b = 0; b < 12; b++) {
            batches.add(List.of(new ScoreRequest("long", red, "a red circle ".repeat(1 + b % 4).trim() + " " + "and a square ".repeat(b)),
                    new ScoreRequest("short", Context.textOnly("Describe the image."), "yes " + "no ".repeat(b / 2))));
        }
        for (boolean share : new boolean[] {false, true}) {
            java.util.Set<List<Long>> exact = new java.util.HashSet<>();
            java.util.Set<List<Long>> rounded = new java.util.HashSet<>();
            Scorer exactScorer = new Scorer(recording(exact), vlm.processor());
            Scorer roundedScorer = new Scorer(recording(rounded), vlm.processor(), null, 32);
            for (List<ScoreRequest> batch : batches) {
                try (PointerScope scope = new PointerScope()) {
                    float[] a = Tensors.toFloatArray(exactScorer.scoreWithoutGrad(batch, share).logps());
                    float[] b = Tensors.toFloatArray(roundedScorer.scoreWithoutGrad(batch, share).logps());
                    assertArrayEquals(a, b, 1e-4f, "padding must not change a score");
                }
            }
            for (List<Long> shape : rounded) assertEquals(0, shape.get(1) % 32, "width " + shape + " (share " + share + ")");
            assertTrue(rounded.size() < exact.size(), "shapes with rounding " + rounded + " against " + exact);
            assertTrue(rounded.size() <= 4, "a few shapes, met again and again: " + rounded);
        }
    }

    @Test
    void keptImageFeaturesServeTheNextCallOnlyAndChangeNoScore() {
        // mixedBatch shows two images in three image lists: red, blue, and red + blue.
        for (boolean share : new boolean[] {false, true}) {
            int[] encoded = {0};
            Scorer counting = new Scorer(countingImages(encoded), vlm.processor());
            float[] fresh;
            try (PointerScope scope = new PointerScope()) {
                fresh = Tensors.toFloatArray(counting.scoreWithoutGrad(mixedBatch(), share).logps());
            }
            int perCall = encoded[0];
            assertEquals(4, perCall, "each distinct image list encoded once (share " + share + ")");
            counting.keepImageFeaturesForNextCall();
            try (PointerScope scope = new PointerScope()) {
                counting.scoreWithoutGrad(mixedBatch(), share); // its scope closes: the kept features must survive it
            }
            try (PointerScope scope = new PointerScope()) {
                float[] reused = Tensors.toFloatArray(counting.score(mixedBatch(), share).logps());
                assertEquals(2 * perCall, encoded[0], "the call after the keeping one encodes nothing");
                assertArrayEquals(fresh, reused, 0f);
                // Kept for one call only: the third encodes again.
                counting.scoreWithoutGrad(mixedBatch(), share);
                assertEquals(3 * perCall, encoded[0]);
            }
        }
    }

    /** The test model, counting the images it encodes. */
    private static org.vco4j.model.VisionLanguageModel countingImages(int[] images) {
        return (org.vco4j.model.VisionLanguageModel) java.lang.reflect.Proxy.newProxyInstance(ScorerTest.class.getClassLoader(),
                new Class<?>[] {org.vco4j.model.VisionLanguageModel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("encodeImages")) {
                        images[0] += ((org.vco4j.model.processing.ImageInputs) args[0]).images().size();
                    }
                    try {
                        return method.invoke(vlm.model(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The test model, recording the [batch, width] of every decoder pass. */
    private static org.vco4j.model.VisionLanguageModel recording(java.util.Set<List<Long>> shapes) {
        return (org.vco4j.model.VisionLanguageModel) java.lang.reflect.Proxy.newProxyInstance(ScorerTest.class.getClassLoader(),
                new Class<?>[] {org.vco4j.model.VisionLanguageModel.class}, (proxy, method, args) -> {
                    if (method.getName().equals("decode")) {
                        Tensor embeds = (Tensor) args[0];
                        shapes.add(List.of(embeds.size(0), embeds.size(1)));
                    }
                    try {
                        return method.invoke(vlm.model(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void sharedPrefixesGiveTheSameLossAndGradients() {
        List<ScoreRequest> requests = mixedBatch();
        Map<String, Tensor> parameters = vlm.model().module().namedParameters();
        String[] probes = {"model.vision_tower.vision_model.embeddings.patch_embedding.weight",
                "model.multi_modal_projector.linear_1.weight", "model.language_model.layers.0.self_attn.q_proj.weight",
                "lm_head.weight"};
        List<float[]> gradients = new ArrayList<>();
        float[][] values = new float[2][];
        for (int mode = 0; mode < 2; mode++) {
            try (PointerScope scope = new PointerScope()) {
                vlm.model().module().requiresGrad(true);
                for (Tensor p : parameters.values()) if (p.grad().defined()) p.grad().zero_();
                ScoredBatch batch = scorer.score(requests, mode == 1);
                values[mode] = Tensors.toFloatArray(batch.logps());
                // A weighted sum so every request contributes differently to the gradient.
                Tensor weights = Tensors.floats(1f, -2f, 0.5f, 3f, -1f, 0.25f);
                batch.logps().mul(weights).sum().backward();
                for (String probe : probes) gradients.add(Tensors.toFloatArray(parameters.get(probe).grad()));
            } finally {
                vlm.model().module().requiresGrad(false);
            }
        }
        assertArrayEquals(values[0], values[1], 1e-4f);
        for (int i = 0; i < probes.length; i++) {
            float[] padded = gradients.get(i);
            float[] shared = gradients.get(i + probes.length);
            double scale = 0;
            for (float g : padded) scale = Math.max(scale, Math.abs(g));
            assertTrue(scale > 0, probes[i] + " received no gradient");
            for (int k = 0; k < padded.length; k++) {
                assertEquals(padded[k], shared[k], 1e-4 * scale, probes[i] + "[" + k + "]");
            }
        }
    }

    @Test
    void errorsNameTheRequest() {
        Context wrong = new Context(List.of(TinyWorld.redCircle()), "Describe <image> and <image>.");
        IllegalArgumentException placeholders = assertThrows(IllegalArgumentException.class,
                () -> scorer.scoreWithoutGrad(List.of(new ScoreRequest("bad-1", wrong, "no")), true));
        assertTrue(placeholders.getMessage().contains("bad-1") && placeholders.getMessage().contains("2 <image>"),
                placeholders.getMessage());

        IllegalArgumentException mask = assertThrows(IllegalArgumentException.class,
                () -> scorer.scoreWithoutGrad(List.of(new ScoreRequest("bad-2", Context.textOnly("Hi"), "a  b",
                        List.of(new int[] {1, 2}))), true));
        assertTrue(mask.getMessage().contains("bad-2") && mask.getMessage().contains("selects no token"), mask.getMessage());

        String longText = "the ".repeat(vlm.model().maxPositions());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> scorer.scoreWithoutGrad(List.of(new ScoreRequest("bad-3", Context.textOnly("Hi"), longText)), false));
        assertTrue(tooLong.getMessage().contains("bad-3") && tooLong.getMessage().contains("maximum"), tooLong.getMessage());

        Context missing = new Context(List.of(TinyWorld.root().resolve("nope.png")), "<image>\nHi");
        IllegalArgumentException image = assertThrows(IllegalArgumentException.class,
                () -> scorer.scoreWithoutGrad(List.of(new ScoreRequest("bad-4", missing, "x")), false));
        assertTrue(image.getMessage().contains("bad-4") && image.getMessage().contains("nope.png"), image.getMessage());

        IllegalArgumentException imageInResponse = assertThrows(IllegalArgumentException.class,
                () -> scorer.scoreWithoutGrad(List.of(new ScoreRequest("bad-5", Context.textOnly("Hi"), "see <image> here")), true));
        assertTrue(imageInResponse.getMessage().contains("bad-5") && imageInResponse.getMessage().contains("image token"),
                imageInResponse.getMessage());
    }
}
