package org.vco4j.model.dinov2;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.common.Json;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

class Dinov2ModelTest {
    /** hidden 8, 2 layers, 2 heads, 12-pixel pre-training images in 4-pixel patches (3×3 positions). */
    private static Dinov2Config tiny() {
        return Dinov2Config.of(8, 2, 2, 12, 4);
    }

    /** Every parameter drawn from N(0, 0.5²), layer scales included, so none is trivially one or zero. */
    private static void randomize(Module module, long seed) {
        torch.manual_seed(seed);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : module.namedParameters().values()) p.copy_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.5)));
        }
    }

    @Test
    void parameterNamesAreTheCheckpointKeys() {
        try (PointerScope scope = new PointerScope(); Dinov2Model model = new Dinov2Model(ParameterFactory.cpuFloat32(), tiny())) {
            Set<String> expected = new TreeSet<>(Set.of("embeddings.cls_token", "embeddings.mask_token",
                    "embeddings.position_embeddings", "embeddings.patch_embeddings.projection.weight",
                    "embeddings.patch_embeddings.projection.bias", "layernorm.weight", "layernorm.bias"));
            for (int layer = 0; layer < 2; layer++) {
                String p = "encoder.layer." + layer + ".";
                for (String name : new String[] {"norm1", "norm2", "attention.attention.query", "attention.attention.key",
                        "attention.attention.value", "attention.output.dense", "mlp.fc1", "mlp.fc2"}) {
                    expected.add(p + name + ".weight");
                    expected.add(p + name + ".bias");
                }
                expected.add(p + "layer_scale1.lambda1");
                expected.add(p + "layer_scale2.lambda1");
            }
            Map<String, Tensor> params = model.namedParameters();
            assertEquals(expected, new TreeSet<>(params.keySet()));
            assertArrayEquals(new long[] {1, 10, 8}, Tensors.shape(params.get("embeddings.position_embeddings")));
            assertArrayEquals(new long[] {1, 1, 8}, Tensors.shape(params.get("embeddings.cls_token")));
            assertArrayEquals(new long[] {1, 8}, Tensors.shape(params.get("embeddings.mask_token")));
            assertArrayEquals(new long[] {32, 8}, Tensors.shape(params.get("encoder.layer.1.mlp.fc1.weight")));
            assertArrayEquals(new long[] {8}, Tensors.shape(params.get("encoder.layer.0.layer_scale2.lambda1")));
        }
    }

    @Test
    void withoutQkvBiasTheProjectionsHaveNoBias() {
        Dinov2Config config = tiny();
        config.qkvBias = false;
        try (PointerScope scope = new PointerScope(); Dinov2Model model = new Dinov2Model(ParameterFactory.cpuFloat32(), config)) {
            Set<String> names = model.namedParameters().keySet();
            assertFalse(names.contains("encoder.layer.0.attention.attention.query.bias"));
            assertTrue(names.contains("encoder.layer.0.attention.output.dense.bias"));
        }
    }

    /**
     * The whole forward pass against transformers' code path written out with other libtorch ops: a real
     * convolution for the patches, eager attention (matmul, softmax), explicit layer-norm statistics, the layer
     * scales as broadcast products, at the pre-training size (no interpolation).
     */
    @Test
    void forwardMatchesAnEagerComposition() {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard();
             Dinov2Model model = new Dinov2Model(ParameterFactory.cpuFloat32(), tiny())) {
            randomize(model, 3);
            torch.manual_seed(4);
            Tensor pixels = torch.randn(2, 3, 12, 12);
            Map<String, Tensor> w = model.namedParameters();
            Tensor patches = torch.conv2d(pixels, w.get("embeddings.patch_embeddings.projection.weight"),
                    new org.bytedeco.pytorch.TensorOptional(w.get("embeddings.patch_embeddings.projection.bias")),
                    new long[] {4, 4}, new long[] {0, 0}, new long[] {1, 1}, 1).flatten(2, 3).transpose(1, 2);
            Tensor hidden = torch.cat(new org.bytedeco.pytorch.TensorVector(
                    w.get("embeddings.cls_token").expand(2, 1, 8), patches), 1).add(w.get("embeddings.position_embeddings"));
            for (int layer = 0; layer < 2; layer++) {
                String p = "encoder.layer." + layer + ".";
                Tensor normed = layerNorm(hidden, w.get(p + "norm1.weight"), w.get(p + "norm1.bias"), 1e-6);
                Tensor attention = eagerAttention(normed, w, p + "attention.", 2);
                hidden = hidden.add(attention.mul(w.get(p + "layer_scale1.lambda1")));
                Tensor mlp = linear(torch.gelu(linear(layerNorm(hidden, w.get(p + "norm2.weight"), w.get(p + "norm2.bias"), 1e-6),
                        w, p + "mlp.fc1")), w, p + "mlp.fc2");
                hidden = hidden.add(mlp.mul(w.get(p + "layer_scale2.lambda1")));
            }
            Tensor expected = layerNorm(hidden, w.get("layernorm.weight"), w.get("layernorm.bias"), 1e-6).select(1, 0);
            Tensor actual = model.imageEmbeddings(pixels);
            assertArrayEquals(Tensors.toFloatArray(expected.contiguous()), Tensors.toFloatArray(actual.contiguous()), 1e-4f);
            assertArrayEquals(Tensors.toFloatArray(model.lastHiddenState(pixels).select(1, 0).contiguous()),
                    Tensors.toFloatArray(actual.contiguous()), 0f, "pooler_output is the class token after layernorm");
        }
    }

    private static Tensor linear(Tensor x, Map<String, Tensor> w, String name) {
        return torch.matmul(x, w.get(name + ".weight").t()).add(w.get(name + ".bias"));
    }

    private static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        Tensor mean = x.mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor centred = x.sub(mean);
        Tensor variance = centred.mul(centred).mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        return centred.div(variance.add(new Scalar(eps)).sqrt()).mul(weight).add(bias);
    }

    private static Tensor eagerAttention(Tensor x, Map<String, Tensor> w, String p, int heads) {
        long batch = x.size(0), length = x.size(1), d = x.size(2), hd = d / heads;
        Tensor q = linear(x, w, p + "attention.query").view(batch, length, heads, hd).transpose(1, 2);
        Tensor k = linear(x, w, p + "attention.key").view(batch, length, heads, hd).transpose(1, 2);
        Tensor v = linear(x, w, p + "attention.value").view(batch, length, heads, hd).transpose(1, 2);
        Tensor scores = torch.matmul(q, k.transpose(-1, -2)).mul(new Scalar(1 / Math.sqrt(hd)));
        Tensor context = torch.matmul(torch.softmax(scores, -1), v).transpose(1, 2).reshape(batch, length, d);
        return linear(context, w, p + "output.dense");
    }

    /**
     * Position embeddings for another grid follow PyTorch's bicubic resampling (align_corners=False, A = −0.75,
     * edge samples clamped), recomputed here in plain Java: a 3×3 grid to 2×4, and 3×3 unchanged.
     */
    @Test
    void positionEmbeddingsAreInterpolatedBicubically() {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard();
             Dinov2Model model = new Dinov2Model(ParameterFactory.cpuFloat32(), tiny())) {
            randomize(model, 5);
            Dinov2Embeddings embeddings = (Dinov2Embeddings) model.children().get("embeddings");
            Tensor table = model.namedParameters().get("embeddings.position_embeddings");
            float[] grid = Tensors.toFloatArray(table.contiguous());
            assertArrayEquals(grid, Tensors.toFloatArray(embeddings.interpolatePosEncoding(3, 3).contiguous()), 0f);

            float[] resized = Tensors.toFloatArray(embeddings.interpolatePosEncoding(2, 4).contiguous());
            assertEquals((1 + 8) * 8, resized.length);
            for (int c = 0; c < 8; c++) {
                assertEquals(grid[c], resized[c], 0f, "the class position is kept");
                double[][] plane = new double[3][3];
                for (int i = 0; i < 9; i++) plane[i / 3][i % 3] = grid[(1 + i) * 8 + c];
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 4; x++) {
                        double expected = bicubic(plane, 2, 4, y, x);
                        assertEquals(expected, resized[(1 + y * 4 + x) * 8 + c], 1e-5, "channel " + c + " at " + y + "," + x);
                    }
                }
            }
        }
    }

    /** PyTorch's upsample_bicubic2d for one output sample, from its definition. */
    private static double bicubic(double[][] in, int outH, int outW, int y, int x) {
        int inH = in.length, inW = in[0].length;
        double sy = (y + 0.5) * inH / outH - 0.5;
        double sx = (x + 0.5) * inW / outW - 0.5;
        int y0 = (int) Math.floor(sy), x0 = (int) Math.floor(sx);
        double[] wy = cubicWeights(sy - y0), wx = cubicWeights(sx - x0);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                int yy = Math.min(Math.max(y0 - 1 + i, 0), inH - 1);
                int xx = Math.min(Math.max(x0 - 1 + j, 0), inW - 1);
                sum += wy[i] * wx[j] * in[yy][xx];
            }
        }
        return sum;
    }

    private static double[] cubicWeights(double t) {
        double a = -0.75;
        return new double[] {near(t + 1, a), close(t, a), close(1 - t, a), near(2 - t, a)};
    }

    /** |d| ≤ 1. */
    private static double close(double d, double a) {
        return ((a + 2) * d - (a + 3)) * d * d + 1;
    }

    /** 1 < |d| < 2. */
    private static double near(double d, double a) {
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
    }

    @Test
    void imagesOfAnotherSizeRunOnInterpolatedPositions() {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard();
             Dinov2Model model = new Dinov2Model(ParameterFactory.cpuFloat32(), tiny())) {
            randomize(model, 6);
            Tensor wide = torch.randn(1, 3, 8, 17);
            assertArrayEquals(new long[] {1, 1 + 2 * 4, 8}, Tensors.shape(model.lastHiddenState(wide)),
                    "8×17 pixels in 4-pixel patches: 2×4 patches, the remainder dropped");
        }
    }

    @Test
    void realConfigJsonBindsAndUnsupportedSettingsAreRefusedByKey() throws Exception {
        // facebook/dinov2-small's config.json keys and values.
        String json = "{\"apply_layernorm\": true, \"architectures\": [\"Dinov2Model\"], \"attention_probs_dropout_prob\": 0.0,"
                + " \"drop_path_rate\": 0.0, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.0, \"hidden_size\": 384,"
                + " \"image_size\": 518, \"initializer_range\": 0.02, \"layer_norm_eps\": 1e-06, \"layerscale_value\": 1.0,"
                + " \"mlp_ratio\": 4, \"model_type\": \"dinov2\", \"num_attention_heads\": 6, \"num_channels\": 3,"
                + " \"num_hidden_layers\": 12, \"out_features\": [\"stage12\"], \"out_indices\": [12], \"patch_size\": 14,"
                + " \"qkv_bias\": true, \"reshape_hidden_states\": true, \"stage_names\": [\"stem\", \"stage1\"],"
                + " \"torch_dtype\": \"float32\", \"transformers_version\": \"4.31.0.dev0\", \"use_swiglu_ffn\": false}";
        Dinov2Config config = Dinov2Config.fromJson(Json.MAPPER.readTree(json));
        assertEquals(37, config.patchesPerSide());
        assertEquals(1536, config.intermediateSize());
        assertEquals(1e-6, config.layerNormEps);
        IllegalArgumentException swiglu = assertThrows(IllegalArgumentException.class,
                () -> Dinov2Config.fromJson(Json.MAPPER.readTree(json.replace("\"use_swiglu_ffn\": false", "\"use_swiglu_ffn\": true"))));
        assertTrue(swiglu.getMessage().startsWith("use_swiglu_ffn"), swiglu.getMessage());
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> Dinov2Config.fromJson(Json.MAPPER.readTree(json.replace("\"num_attention_heads\": 6", "\"num_attention_heads\": 5"))));
        assertTrue(heads.getMessage().startsWith("hidden_size"), heads.getMessage());
    }
}
