package org.vco4j.model.lora;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.llava.LlavaForConditionalGeneration;
import org.vco4j.model.nn.Linear;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LoraAdaptersTest {
    private static final String Q = "model.language_model.layers.0.self_attn.q_proj";

    @Test
    void adaptersGoOnTheLanguageModelProjectionsWithPeftNames() {
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(4, 8, 0), 7)) {
            List<String> expected = new ArrayList<>();
            for (int layer = 0; layer < 2; layer++) {
                for (String name : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                        "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                    expected.add("model.language_model.layers." + layer + "." + name);
                }
            }
            assertEquals(expected, adapters.layerPaths());

            Map<String, Tensor> parameters = model.namedParameters();
            assertArrayEquals(new long[] {4, 64}, Tensors.shape(parameters.get(Q + ".lora_A.weight")));
            assertArrayEquals(new long[] {64, 4}, Tensors.shape(parameters.get(Q + ".lora_B.weight")));
            // GQA: k_proj maps 64 → 32, so its B is [32, r].
            assertArrayEquals(new long[] {32, 4},
                    Tensors.shape(parameters.get("model.language_model.layers.1.self_attn.k_proj.lora_B.weight")));
            assertArrayEquals(new long[] {4, 128},
                    Tensors.shape(parameters.get("model.language_model.layers.1.mlp.down_proj.lora_A.weight")));
            // CLIP's attention also has a q_proj; the vision tower, projector and head stay untouched.
            assertTrue(parameters.containsKey("model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight"));
            for (String name : parameters.keySet()) {
                if (name.contains("lora_")) assertTrue(name.startsWith("model.language_model.layers."), name);
            }
            assertEquals(2 * 14, parameters.keySet().stream().filter(n -> n.contains("lora_")).count());
            assertEquals(8.0 / 4, adapters.layer(Q).scaling());
        }
    }

    @Test
    void baseIsFrozenAndGradientsReachOnlyTheAdapters() {
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(4, 8, 0), 7)) {
            Map<String, Tensor> trainable = adapters.trainableParameters();
            assertEquals(28, trainable.size());
            model.namedParameters().forEach((name, t) ->
                    assertEquals(trainable.containsKey(name), t.requires_grad(), name));
            for (String name : trainable.keySet()) assertTrue(name.matches(".*\\.lora_[AB]\\.weight"), name);

            LoraTesting.randomizeB(adapters, 3);
            adapters.training(true);
            LoraTesting.forward(model).square().mean().backward();
            for (Map.Entry<String, Tensor> e : trainable.entrySet()) {
                Tensor grad = e.getValue().grad();
                assertTrue(grad.defined(), e.getKey());
                assertTrue(grad.abs().sum().item_double() > 0, e.getKey() + " got a zero gradient");
            }
            model.namedParameters().forEach((name, t) -> {
                if (!trainable.containsKey(name)) assertFalse(t.grad().defined(), name + " got a gradient");
            });
        }
    }

    @Test
    void freshOrDisabledAdaptersGiveTheBaseLogitsBitForBit() {
        try (PointerScope scope = new PointerScope(); LlavaForConditionalGeneration model = LoraTesting.tinyModel(2)) {
            Tensor base = LoraTesting.logits(model);
            try (LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(8, 16, 0.1), 5)) {
                assertTrue(adapters.enabled());
                assertTrue(torch.equal(base, LoraTesting.logits(model)), "B = 0 must leave the output unchanged");
                adapters.training(true);
                assertTrue(torch.equal(base, LoraTesting.logits(model)), "B = 0 must leave the output unchanged under dropout too");
                adapters.training(false);

                LoraTesting.randomizeB(adapters, 4);
                Tensor adapted = LoraTesting.logits(model);
                assertFalse(torch.allclose(base, adapted, 1e-4, 1e-4, false), "random adapters should change the logits");

                adapters.setEnabled(false);
                assertTrue(torch.equal(base, LoraTesting.logits(model)), "adapters off must give the base logits exactly");
                adapters.setEnabled(true);
                assertTrue(torch.equal(adapted, LoraTesting.logits(model)));
            }
        }
    }

    @Test
    void loraAIsKaimingUniformAndFixedBySeed() {
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration m1 = LoraTesting.tinyModel(1);
             LlavaForConditionalGeneration m2 = LoraTesting.tinyModel(1);
             LlavaForConditionalGeneration m3 = LoraTesting.tinyModel(1);
             LoraAdapters a1 = LoraAdapters.attach(m1, LoraConfig.of(8, 8, 0), 11);
             LoraAdapters a2 = LoraAdapters.attach(m2, LoraConfig.of(8, 8, 0), 11);
             LoraAdapters a3 = LoraAdapters.attach(m3, LoraConfig.of(8, 8, 0), 12)) {
            String down = "model.language_model.layers.0.mlp.down_proj";
            Tensor a = a1.layer(down).a();
            double bound = 1 / Math.sqrt(128);
            assertTrue(a.abs().max().item_double() <= bound);
            // Uniform on ±bound: the largest of 1024 draws is close to the bound, the spread is bound/√3.
            assertTrue(a.abs().max().item_double() > 0.95 * bound);
            assertEquals(bound / Math.sqrt(3), a.std().item_double(), 0.1 * bound);
            assertEquals(0, a1.layer(down).b().abs().sum().item_double());
            assertTrue(torch.equal(a, a2.layer(down).a()));
            assertFalse(torch.equal(a, a3.layer(down).a()));
            assertFalse(torch.equal(a1.layer(Q).a(), a1.layer("model.language_model.layers.1.self_attn.q_proj").a()),
                    "each layer draws its own values");
        }
    }

    @Test
    void dropoutActsOnlyInTrainingAndIsReproducible() {
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration m1 = LoraTesting.tinyModel(3);
             LlavaForConditionalGeneration m2 = LoraTesting.tinyModel(3);
             LoraAdapters a1 = LoraAdapters.attach(m1, LoraConfig.of(4, 8, 0.5), 21);
             LoraAdapters a2 = LoraAdapters.attach(m2, LoraConfig.of(4, 8, 0.5), 21)) {
            LoraTesting.randomizeB(a1, 6);
            LoraTesting.randomizeB(a2, 6);
            Tensor evaluation = LoraTesting.logits(m1);
            a1.training(true);
            a2.training(true);
            Tensor first = LoraTesting.logits(m1);
            Tensor second = LoraTesting.logits(m1);
            assertFalse(torch.allclose(evaluation, first, 1e-4, 1e-4, false), "training mode should drop inputs");
            assertFalse(torch.equal(first, second), "each call draws new masks");

            // Same seed, same sequence of masks.
            assertTrue(torch.equal(first, LoraTesting.logits(m2)));
            assertTrue(torch.equal(second, LoraTesting.logits(m2)));

            // Reseeding at a step restarts the same sequence.
            a1.reseedDropout(42);
            Tensor step = LoraTesting.logits(m1);
            a1.reseedDropout(42);
            assertTrue(torch.equal(step, LoraTesting.logits(m1)));
            a1.reseedDropout(43);
            assertFalse(torch.equal(step, LoraTesting.logits(m1)));

            // A saved generator state continues the exact sequence, also in another instance.
            byte[] state = a1.dropoutState();
            Tensor next = LoraTesting.logits(m1);
            a2.restoreDropoutState(state);
            assertTrue(torch.equal(next, LoraTesting.logits(m2)));
            assertThrows(IllegalArgumentException.class, () -> a2.restoreDropoutState(new byte[3]));

            a1.training(false);
            assertTrue(torch.equal(evaluation, LoraTesting.logits(m1)), "evaluation mode has no dropout");
        }
    }

    @Test
    void mergeFoldsTheAdaptersIntoTheWeights() {
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration model = LoraTesting.tinyModel(4);
             LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(4, 16, 0.2), 1)) {
            LoraTesting.randomizeB(adapters, 8);
            Tensor base = ((Linear) model.namedModules().get(Q)).weight().clone();
            Tensor expectedDelta = adapters.layer(Q).b().matmul(adapters.layer(Q).a()).mul(new org.bytedeco.pytorch.Scalar(4.0));
            Tensor adapted = LoraTesting.logits(model);
            adapters.setEnabled(false); // merging ignores the switch
            adapters.merge();

            assertTrue(model.namedParameters().keySet().stream().noneMatch(n -> n.contains("lora_")));
            Linear q = (Linear) model.namedModules().get(Q);
            assertNull(q.adapter());
            assertTrue(q.children().isEmpty());
            assertTrue(torch.allclose(q.weight(), base.add(expectedDelta), 1e-6, 1e-6, false));
            assertTrue(torch.allclose(adapted, LoraTesting.logits(model), 1e-5, 1e-5, false));
            assertThrows(IllegalStateException.class, adapters::merge);
            assertThrows(IllegalStateException.class, adapters::trainableParameters);
        }
    }

    @Test
    void attachingTwiceOrToNothingIsRefused() {
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(2, 2, 0), 1)) {
            IllegalStateException twice = assertThrows(IllegalStateException.class,
                    () -> LoraAdapters.attach(model, LoraConfig.of(2, 2, 0), 1));
            assertTrue(twice.getMessage().contains("already has adapters"), twice.getMessage());
            assertEquals(28, adapters.trainableParameters().size());

            LoraConfig nothing = new LoraConfig(2, 2, 0, new TargetModules.Names(List.of("qkv"), List.of("language_model")));
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> LoraAdapters.attach(model, nothing, 1));
            assertTrue(none.getMessage().contains("qkv"), none.getMessage());
        }
    }
}
