package org.vco4j.model.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.llama.LlamaConfig;
import org.vco4j.model.llama.LlamaModel;

import static org.junit.jupiter.api.Assertions.*;

/** The FLOP count: forward products, and the backward products that will follow, counted where they run. */
class FlopsTest {

    @Test
    void linearForwardAndTheGradientsThatWillFollow() {
        try (PointerScope scope = new PointerScope()) {
            Linear layer = new Linear(ParameterFactory.cpuFloat32(), 8, 4, true);
            Tensor input = torch.randn(new long[] {3, 5, 8});
            long forward = 2L * 15 * 8 * 4;
            assertEquals(forward, counted(() -> { try (NoGradGuard g = new NoGradGuard()) { layer.forward(input); } }), "no grad: forward only");
            layer.weight().requires_grad_(false);
            assertEquals(forward, counted(() -> layer.forward(input)), "nothing needs a gradient");
            Tensor trainableInput = input.clone().requires_grad_(true);
            assertEquals(2 * forward, counted(() -> layer.forward(trainableInput)), "frozen weight: + the input's gradient");
            layer.weight().requires_grad_(true);
            assertEquals(2 * forward, counted(() -> layer.forward(input)), "first layer: + the weight's gradient");
            assertEquals(3 * forward, counted(() -> layer.forward(trainableInput)), "both gradients");
        }
    }

    /** A decoder forward without cache: 2·T per linear weight, and 4·T²·hidden of attention per layer. */
    @Test
    void decoderMatchesTheFormula() {
        LlamaConfig config = new LlamaConfig();
        config.vocabSize = 50;
        config.hiddenSize = 16;
        config.intermediateSize = 24;
        config.numHiddenLayers = 2;
        config.numAttentionHeads = 4;
        config.numKeyValueHeads = 2;
        config.maxPositionEmbeddings = 64;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             LlamaModel model = new LlamaModel(ParameterFactory.cpuFloat32(), config)) {
            int t = 7;
            Tensor embeds = torch.randn(new long[] {1, t, 16});
            long kv = 2L * 4; // 2 key/value heads of dimension 4
            long linearWeights = 16 * 16 + 16 * kv + 16 * kv + 16 * 16 + 3L * 16 * 24;
            long expected = 2 * (2L * t * linearWeights + 4L * t * t * 16);
            assertEquals(expected, counted(() -> model.forward(embeds, null, null)));
        }
    }

    @Test
    void rooflineIsPositive() {
        assertTrue(Flops.measureRoofline(ParameterFactory.cpuFloat32(), 128) > 1e6);
    }

    private static long counted(Runnable work) {
        long before = Flops.count();
        work.run();
        return Flops.count() - before;
    }
}
