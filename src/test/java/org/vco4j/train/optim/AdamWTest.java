package org.vco4j.train.optim;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AdamWTest {
    private static final float[] WEIGHT = {0.5f, -1.25f, 2.0f, 0.75f, -0.3f, 1.1f};
    private static final float[] BIAS = {0.1f, -0.2f, 0.3f};

    /** A gradient that changes sign and size from step to step, so every moment term matters. */
    private static float[] gradient(int length, int step, double scale, double phase) {
        float[] g = new float[length];
        for (int i = 0; i < length; i++) g[i] = (float) (scale * Math.sin(1.3 * i + 0.7 * step + phase) + 0.2 * scale);
        return g;
    }

    /** Sets {@code p.grad} to {@code values} through autograd: d/dp sum(p · values) = values. */
    private static void setGradient(Tensor p, float[] values) {
        try (PointerScope scope = new PointerScope()) {
            p.mul(Tensors.floats(values, Tensors.shape(p))).sum().backward();
        }
    }

    private static Map<String, Tensor> parameters(float[] weight, float[] bias) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("proj.weight", Tensors.floats(weight, 2, 3).requires_grad_(true));
        params.put("proj.bias", Tensors.floats(bias, 3).requires_grad_(true));
        return params;
    }

    /** torch's single-tensor AdamW update, in double precision, for one parameter. */
    private static final class Reference {
        final double[] p;
        final double[] m;
        final double[] v;
        int step;

        Reference(float[] initial) {
            p = new double[initial.length];
            for (int i = 0; i < p.length; i++) p[i] = initial[i];
            m = new double[p.length];
            v = new double[p.length];
        }

        void update(float[] g, double lr, AdamW.Settings s, boolean decay) {
            step++;
            double bc1 = 1 - Math.pow(s.beta1(), step);
            double bc2 = 1 - Math.pow(s.beta2(), step);
            for (int i = 0; i < p.length; i++) {
                if (decay) p[i] *= 1 - lr * s.weightDecay();
                m[i] = s.beta1() * m[i] + (1 - s.beta1()) * g[i];
                v[i] = s.beta2() * v[i] + (1 - s.beta2()) * g[i] * g[i];
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + s.epsilon();
                p[i] -= lr / bc1 * m[i] / denom;
            }
        }
    }

    private static void assertClose(double[] expected, Tensor actual, double tolerance) {
        float[] got = Tensors.toFloatArray(actual);
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], tolerance, "element " + i);
        }
    }

    @Test
    void matchesTorchUpdateInDoublePrecision() {
        // A large epsilon and small gradients make the placement of eps (after the bias-corrected sqrt) visible.
        for (AdamW.Settings settings : List.of(AdamW.Settings.defaults().withWeightDecay(0.1),
                new AdamW.Settings(0.8, 0.95, 1e-3, 0.05))) {
            Map<String, Tensor> params = parameters(WEIGHT, BIAS);
            Reference weight = new Reference(WEIGHT);
            Reference bias = new Reference(BIAS);
            double[] rates = {0.0, 0.02, 0.05, 0.04, 0.03, 0.01};
            try (AdamW adamw = new AdamW(params, settings)) {
                assertTrue(adamw.decays("proj.weight"));
                assertFalse(adamw.decays("proj.bias"));
                for (int step = 0; step < rates.length; step++) {
                    float[] gw = gradient(6, step, 2e-3, 0);
                    float[] gb = gradient(3, step, 5e-3, 1);
                    setGradient(params.get("proj.weight"), gw);
                    setGradient(params.get("proj.bias"), gb);
                    // Each step in its own scope, as the trainer runs it: the state must survive it.
                    try (PointerScope scope = new PointerScope()) {
                        adamw.step(rates[step]);
                    }
                    adamw.zeroGrad();
                    weight.update(gw, rates[step], settings, true);
                    bias.update(gb, rates[step], settings, false);
                    assertClose(weight.p, params.get("proj.weight"), 1e-6);
                    assertClose(bias.p, params.get("proj.bias"), 1e-6);
                }
                assertEquals(rates.length, adamw.steps("proj.weight"));
                // Far from the start: the test would not notice a missing update otherwise.
                assertTrue(Math.abs(weight.p[0] - WEIGHT[0]) > 0.05, "parameters moved: " + weight.p[0]);
            }
        }
    }

    @Test
    void skipsParametersWithoutGradient() {
        Map<String, Tensor> params = parameters(WEIGHT, BIAS);
        try (AdamW adamw = new AdamW(params, AdamW.Settings.defaults())) {
            setGradient(params.get("proj.weight"), gradient(6, 0, 1, 0));
            adamw.step(0.1);
            assertEquals(1, adamw.steps("proj.weight"));
            assertEquals(0, adamw.steps("proj.bias"));
            assertArrayEquals(BIAS, Tensors.toFloatArray(params.get("proj.bias")));
            adamw.zeroGrad();
            assertFalse(params.get("proj.weight").grad().defined(), "zeroGrad leaves no gradient");
            adamw.step(0.1);
            assertEquals(1, adamw.steps("proj.weight"), "no gradient, no step");
        }
    }

    @Test
    void resumedRunContinuesBitForBit(@TempDir Path dir) throws Exception {
        AdamW.Settings settings = new AdamW.Settings(0.9, 0.99, 1e-6, 0.1);
        double[] rates = {0.05, 0.04, 0.03, 0.02, 0.01, 0.005};
        Map<String, Tensor> straight = parameters(WEIGHT, BIAS);
        try (AdamW adamw = new AdamW(straight, settings)) {
            for (int step = 0; step < rates.length; step++) runStep(adamw, straight, step, rates[step]);
        }

        Path state = dir.resolve("optimizer.safetensors");
        Map<String, Tensor> first = parameters(WEIGHT, BIAS);
        try (AdamW adamw = new AdamW(first, settings)) {
            for (int step = 0; step < 3; step++) runStep(adamw, first, step, rates[step]);
            adamw.save(state);
        }
        try (SafetensorsFile file = SafetensorsFile.open(state)) {
            assertEquals(List.of("exp_avg/proj.bias", "exp_avg/proj.weight", "exp_avg_sq/proj.bias", "exp_avg_sq/proj.weight"),
                    file.names().stream().sorted().toList());
        }
        Map<String, Tensor> resumed = parameters(Tensors.toFloatArray(first.get("proj.weight")),
                Tensors.toFloatArray(first.get("proj.bias")));
        try (AdamW adamw = new AdamW(resumed, settings)) {
            adamw.load(state);
            assertEquals(3, adamw.steps("proj.bias"));
            for (int step = 3; step < rates.length; step++) runStep(adamw, resumed, step, rates[step]);
        }
        for (String name : straight.keySet()) {
            assertArrayEquals(Tensors.toFloatArray(straight.get(name)), Tensors.toFloatArray(resumed.get(name)), 0f, name);
        }
    }

    private static void runStep(AdamW adamw, Map<String, Tensor> params, int step, double lr) {
        setGradient(params.get("proj.weight"), gradient(6, step, 0.3, 0));
        setGradient(params.get("proj.bias"), gradient(3, step, 0.1, 2));
        try (PointerScope scope = new PointerScope()) {
            adamw.step(lr);
        }
        adamw.zeroGrad();
    }

    @Test
    void loadRejectsForeignStateAndKeepsItsOwn(@TempDir Path dir) throws Exception {
        Map<String, Tensor> params = parameters(WEIGHT, BIAS);
        Path saved = dir.resolve("state.safetensors");
        try (AdamW adamw = new AdamW(params, AdamW.Settings.defaults())) {
            runStep(adamw, params, 0, 0.01);
            adamw.save(saved);
        }
        try (AdamW other = new AdamW(params, AdamW.Settings.defaults().withWeightDecay(0.0))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.load(saved));
            assertTrue(e.getMessage().contains("weight_decay"), e.getMessage());
        }
        Map<String, Tensor> onlyWeight = Map.of("proj.weight", params.get("proj.weight"));
        try (AdamW other = new AdamW(onlyWeight, AdamW.Settings.defaults())) {
            runStep(other, params, 1, 0.01);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.load(saved));
            assertTrue(e.getMessage().contains("unknown parameter proj.bias"), e.getMessage());
            assertEquals(1, other.steps("proj.weight"), "a failed load leaves the state as it was");
        }
        Map<String, Tensor> reshaped = Map.of("proj.weight", Tensors.floats(WEIGHT, 3, 2), "proj.bias", Tensors.floats(BIAS));
        try (AdamW other = new AdamW(reshaped, AdamW.Settings.defaults())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.load(saved));
            assertTrue(e.getMessage().contains("shape [2, 3]"), e.getMessage());
        }
        Path plain = dir.resolve("plain.safetensors");
        SafetensorsWriter.write(plain, Map.of("x", Tensors.floats(1f)));
        try (AdamW other = new AdamW(params, AdamW.Settings.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> other.load(plain));
        }
    }

    @Test
    void decayRuleFollowsTheTrainer() {
        for (String name : List.of("model.layers.0.self_attn.q_proj.weight", "multi_modal_projector.linear_1.weight",
                "lm_head.weight", "model.embed_tokens.weight", "q_proj.lora_A.default.weight")) {
            assertTrue(AdamW.decaysByDefault(name), name);
        }
        for (String name : List.of("multi_modal_projector.linear_1.bias", "model.layers.0.input_layernorm.weight",
                "model.norm.weight", "vision_tower.vision_model.encoder.layers.0.layer_norm1.weight",
                "vision_tower.vision_model.pre_layrnorm.weight", "visual.blocks.0.norm1.weight", "encoder.LayerNorm.bias",
                "model.layers.0.post_attention_RMSNorm.weight")) {
            assertFalse(AdamW.decaysByDefault(name), name);
        }
    }

    @Test
    void rejectsTiedParametersAndBadSettings() {
        Tensor shared = Tensors.floats(1f, 2f).requires_grad_(true);
        Map<String, Tensor> tied = new LinkedHashMap<>();
        tied.put("embed_tokens.weight", shared);
        tied.put("lm_head.weight", shared);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdamW(tied, AdamW.Settings.defaults()));
        assertTrue(e.getMessage().contains("embed_tokens.weight and lm_head.weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AdamW.Settings(1.0, 0.999, 1e-8, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(Map.of("ids", Tensors.longs(1)), AdamW.Settings.defaults()));
        try (AdamW adamw = new AdamW(Map.of("w", Tensors.floats(1f)), AdamW.Settings.defaults())) {
            assertThrows(IllegalArgumentException.class, () -> adamw.step(Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> adamw.steps("missing"));
        }
    }
}
