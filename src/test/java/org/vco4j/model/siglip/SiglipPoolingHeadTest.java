package org.vco4j.model.siglip;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

class SiglipPoolingHeadTest {
    private static final int D = 4;
    private static final int HEADS = 2;
    private static final int MLP = 6;
    private static final int TOKENS = 3;

    private static SiglipVisionConfig toy() {
        SiglipVisionConfig config = SiglipVisionConfig.of(D, MLP, 1, HEADS, 8, 4);
        config.visionUseHead = true;
        return config;
    }

    @Test
    void headParametersAreNamedAsTorchMultiheadAttention() {
        try (PointerScope scope = new PointerScope();
             SiglipVisionModel model = SiglipVisionModel.withHead(ParameterFactory.cpuFloat32(), toy())) {
            Set<String> head = new TreeSet<>();
            model.namedParameters().keySet().stream().filter(k -> k.startsWith("vision_model.head.")).forEach(head::add);
            assertEquals(new TreeSet<>(Set.of("vision_model.head.probe", "vision_model.head.attention.in_proj_weight",
                    "vision_model.head.attention.in_proj_bias", "vision_model.head.attention.out_proj.weight",
                    "vision_model.head.attention.out_proj.bias", "vision_model.head.layernorm.weight",
                    "vision_model.head.layernorm.bias", "vision_model.head.mlp.fc1.weight", "vision_model.head.mlp.fc1.bias",
                    "vision_model.head.mlp.fc2.weight", "vision_model.head.mlp.fc2.bias")), head);
            assertArrayEquals(new long[] {3 * D, D}, Tensors.shape(model.namedParameters().get("vision_model.head.attention.in_proj_weight")));
        }
    }

    @Test
    void theLlavaTowerStillRefusesTheHead() {
        assertThrows(IllegalArgumentException.class, () -> new SiglipVisionModel(ParameterFactory.cpuFloat32(), toy()));
        SiglipVisionConfig headless = toy();
        headless.visionUseHead = false;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SiglipVisionModel.withHead(ParameterFactory.cpuFloat32(), headless));
        assertTrue(e.getMessage().contains("vision_use_head"), e.getMessage());
    }

    /**
     * The MAP head on a toy size against a plain-Java computation of its definition: probe query, packed
     * in-projection, per-head softmax attention, out-projection, then {@code x + fc2(gelu_tanh(fc1(LN(x))))}.
     */
    @Test
    void poolingHeadMatchesAPlainJavaComputation() {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            SiglipMultiheadAttentionPoolingHead head = new SiglipMultiheadAttentionPoolingHead(ParameterFactory.cpuFloat32(), toy());
            torch.manual_seed(11);
            for (Tensor p : head.namedParameters().values()) p.copy_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.7)));
            Tensor tokens = torch.randn(2, TOKENS, D);
            float[] actual = Tensors.toFloatArray(head.forward(tokens).contiguous());
            Map<String, float[]> w = new java.util.HashMap<>();
            head.namedParameters().forEach((k, v) -> w.put(k, Tensors.toFloatArray(v.contiguous())));
            float[] x = Tensors.toFloatArray(tokens.contiguous());
            for (int b = 0; b < 2; b++) {
                double[] expected = pooled(w, x, b);
                for (int i = 0; i < D; i++) assertEquals(expected[i], actual[b * D + i], 1e-5, "batch " + b + " channel " + i);
            }
        }
    }

    private static double[] pooled(Map<String, float[]> w, float[] x, int b) {
        float[] inW = w.get("attention.in_proj_weight");
        float[] inB = w.get("attention.in_proj_bias");
        double[] q = affine(inW, inB, 0, w.get("probe"), 0);
        double[][] k = new double[TOKENS][];
        double[][] v = new double[TOKENS][];
        for (int t = 0; t < TOKENS; t++) {
            k[t] = affine(inW, inB, D, x, (b * TOKENS + t) * D);
            v[t] = affine(inW, inB, 2 * D, x, (b * TOKENS + t) * D);
        }
        int hd = D / HEADS;
        double[] context = new double[D];
        for (int h = 0; h < HEADS; h++) {
            double[] scores = new double[TOKENS];
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < TOKENS; t++) {
                for (int i = 0; i < hd; i++) scores[t] += q[h * hd + i] * k[t][h * hd + i];
                scores[t] /= Math.sqrt(hd);
                max = Math.max(max, scores[t]);
            }
            double total = 0;
            for (int t = 0; t < TOKENS; t++) total += scores[t] = Math.exp(scores[t] - max);
            for (int t = 0; t < TOKENS; t++) for (int i = 0; i < hd; i++) context[h * hd + i] += scores[t] / total * v[t][h * hd + i];
        }
        double[] attended = dense(w.get("attention.out_proj.weight"), w.get("attention.out_proj.bias"), context, D);
        double[] normed = layerNorm(attended, w.get("layernorm.weight"), w.get("layernorm.bias"));
        double[] hidden = dense(w.get("mlp.fc1.weight"), w.get("mlp.fc1.bias"), normed, MLP);
        for (int i = 0; i < MLP; i++) hidden[i] = geluTanh(hidden[i]);
        double[] mlp = dense(w.get("mlp.fc2.weight"), w.get("mlp.fc2.bias"), hidden, D);
        for (int i = 0; i < D; i++) mlp[i] += attended[i];
        return mlp;
    }

    /** Rows [row0, row0 + D) of the packed projection applied to x[offset, offset + D). */
    private static double[] affine(float[] weight, float[] bias, int row0, float[] x, int offset) {
        double[] out = new double[D];
        for (int r = 0; r < D; r++) {
            double s = bias[row0 + r];
            for (int c = 0; c < D; c++) s += weight[(row0 + r) * D + c] * x[offset + c];
            out[r] = s;
        }
        return out;
    }

    private static double[] dense(float[] weight, float[] bias, double[] x, int outputs) {
        double[] out = new double[outputs];
        for (int r = 0; r < outputs; r++) {
            double s = bias[r];
            for (int c = 0; c < x.length; c++) s += weight[r * x.length + c] * x[c];
            out[r] = s;
        }
        return out;
    }

    private static double[] layerNorm(double[] x, float[] weight, float[] bias) {
        double mean = 0, variance = 0;
        for (double v : x) mean += v / x.length;
        for (double v : x) variance += (v - mean) * (v - mean) / x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - mean) / Math.sqrt(variance + 1e-6) * weight[i] + bias[i];
        return out;
    }

    private static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }
}
