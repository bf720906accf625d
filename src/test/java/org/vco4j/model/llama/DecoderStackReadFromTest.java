package org.vco4j.model.llama;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.vco4j.model.KvCache;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.qwen2.Qwen2Model;
import org.vco4j.tensor.Tensors;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A decoder pass that reads only a tail of positions gives the whole pass's numbers there, forward and backward. */
class DecoderStackReadFromTest {
    private static final int HIDDEN = 32;

    private static Qwen2Model model() {
        Qwen2Config c = new Qwen2Config();
        c.vocabSize = 40;
        c.hiddenSize = HIDDEN;
        c.intermediateSize = 48;
        c.numHiddenLayers = 3;
        c.numAttentionHeads = 4;
        c.numKeyValueHeads = 2; // grouped-query attention, with q/k/v biases
        c.maxPositionEmbeddings = 64;
        c.ropeTheta = 1e4;
        Qwen2Model model = new Qwen2Model(ParameterFactory.cpuFloat32(), c);
        RandomInit.apply(model, 3, 0.2);
        torch.manual_seed(4);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                if (e.getKey().endsWith(".bias")) e.getValue().copy_(torch.randn(e.getValue().sizes().vec().get()).mul(new Scalar(0.3)));
            }
        }
        return model;
    }

    private static double maxDifference(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    @Test
    void rightPaddedRowsWithoutACacheMatchTheWholePassNarrowed() {
        try (PointerScope scope = new PointerScope(); Qwen2Model model = model()) {
            torch.manual_seed(5);
            Tensor embeds = torch.randn(3, 11, HIDDEN);
            Tensor whole = model.forward(embeds, null, null, null, 0);
            for (long readFrom : new long[] {1, 7, 10}) {
                Tensor tail = model.forward(embeds, null, null, null, readFrom);
                assertArrayEquals(new long[] {3, 11 - readFrom, HIDDEN}, tail.sizes().vec().get());
                assertTrue(maxDifference(whole.narrow(1, readFrom, 11 - readFrom), tail) < 1e-5, "read from " + readFrom);
            }
            assertThrows(IllegalArgumentException.class, () -> model.forward(embeds, null, null, null, 11));
        }
    }

    @Test
    void paddedRowsAfterACacheMatchAndLeaveTheSameCache() {
        try (PointerScope scope = new PointerScope(); Qwen2Model model = model()) {
            torch.manual_seed(6);
            Tensor past = torch.randn(2, 4, HIDDEN);
            Tensor embeds = torch.randn(2, 6, HIDDEN);
            Tensor next = torch.randn(2, 1, HIDDEN);
            // Row 0 has a padded position among its cached ones, row 1 one among the new ones.
            Tensor valid = Tensors.upload(Tensors.longs(new long[] {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                    1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1}, 2, 11), embeds.device(), ScalarType.Bool);
            try (KvCache wholeCache = new KvCache(3); KvCache tailCache = new KvCache(3)) {
                model.forward(past, null, valid.narrow(1, 0, 4), wholeCache, 0);
                model.forward(past, null, valid.narrow(1, 0, 4), tailCache, 0);
                Tensor whole = model.forward(embeds, null, valid.narrow(1, 0, 10), wholeCache, 0);
                Tensor tail = model.forward(embeds, null, valid.narrow(1, 0, 10), tailCache, 4);
                assertTrue(maxDifference(whole.narrow(1, 4, 2), tail) < 1e-5);
                // The tail pass cached every position's keys and values: a further token sees the same past.
                Tensor afterWhole = model.forward(next, null, valid, wholeCache, 0);
                Tensor afterTail = model.forward(next, null, valid, tailCache, 0);
                assertTrue(maxDifference(afterWhole, afterTail) < 1e-5);
            }
        }
    }

    @Test
    void gradientsMatchTheWholePass() {
        try (PointerScope scope = new PointerScope(); Qwen2Model model = model()) {
            torch.manual_seed(7);
            Tensor embeds = torch.randn(2, 9, HIDDEN);
            Tensor weights = torch.randn(2, 3, HIDDEN);
            Map<String, Tensor> parameters = model.namedParameters();
            parameters.values().forEach(p -> p.requires_grad_(true));

            model.forward(embeds, null, null, null, 0).narrow(1, 6, 3).mul(weights).sum().backward();
            Map<String, Tensor> wholeGrads = new java.util.LinkedHashMap<>();
            parameters.forEach((name, p) -> {
                if (p.grad().defined()) wholeGrads.put(name, p.grad().clone()); // not the unused token embeddings
            });
            wholeGrads.keySet().forEach(name -> parameters.get(name).grad().zero_());

            model.forward(embeds, null, null, null, 6).mul(weights).sum().backward();
            assertEquals(parameters.size() - 1, wholeGrads.size());
            for (Map.Entry<String, Tensor> e : wholeGrads.entrySet()) {
                Tensor expected = e.getValue();
                double scale = Math.max(1e-3, expected.abs().max().item_double());
                assertTrue(maxDifference(expected, parameters.get(e.getKey()).grad()) / scale < 1e-4, e.getKey());
            }
            // The last layer's unread positions feed nothing, so their gradient never existed; earlier layers' did.
            assertTrue(wholeGrads.get("layers.0.mlp.down_proj.weight").abs().max().item_double() > 0);
        }
    }
}
