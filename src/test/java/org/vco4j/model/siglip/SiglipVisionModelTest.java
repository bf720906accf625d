package org.vco4j.model.siglip;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.vit.VitEncoderLayer;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SiglipVisionModelTest {
    private static SiglipVisionConfig tiny() {
        // 2 layers, hidden 8, 2 heads, 16-pixel images in 4-pixel patches: 16 tokens.
        return SiglipVisionConfig.of(8, 12, 2, 2, 16, 4);
    }

    /** Every parameter (biases and norms too) drawn from N(0, 0.3²) so that nothing is trivially zero or one. */
    private static void randomize(Module module, long seed) {
        torch.manual_seed(seed);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Tensor p : module.namedParameters().values()) p.copy_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.3)));
        }
    }

    private static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    @Test
    void parameterNamesAndShapesAreHuggingFaces() {
        try (PointerScope scope = new PointerScope();
             SiglipVisionModel model = new SiglipVisionModel(ParameterFactory.cpuFloat32(), tiny())) {
            Map<String, Tensor> params = model.namedParameters();
            assertArrayEquals(new long[] {8, 3, 4, 4}, shape(params.get("vision_model.embeddings.patch_embedding.weight")));
            assertArrayEquals(new long[] {8}, shape(params.get("vision_model.embeddings.patch_embedding.bias")));
            assertArrayEquals(new long[] {16, 8}, shape(params.get("vision_model.embeddings.position_embedding.weight")));
            assertArrayEquals(new long[] {8}, shape(params.get("vision_model.post_layernorm.weight")));
            assertArrayEquals(new long[] {8}, shape(params.get("vision_model.post_layernorm.bias")));
            String layer = "vision_model.encoder.layers.1.";
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                assertArrayEquals(new long[] {8, 8}, shape(params.get(layer + "self_attn." + proj + ".weight")));
                assertArrayEquals(new long[] {8}, shape(params.get(layer + "self_attn." + proj + ".bias")));
            }
            assertArrayEquals(new long[] {12, 8}, shape(params.get(layer + "mlp.fc1.weight")));
            assertArrayEquals(new long[] {12}, shape(params.get(layer + "mlp.fc1.bias")));
            assertArrayEquals(new long[] {8, 12}, shape(params.get(layer + "mlp.fc2.weight")));
            assertArrayEquals(new long[] {8}, shape(params.get(layer + "mlp.fc2.bias")));
            for (String norm : List.of("layer_norm1", "layer_norm2")) {
                assertArrayEquals(new long[] {8}, shape(params.get(layer + norm + ".weight")));
                assertArrayEquals(new long[] {8}, shape(params.get(layer + norm + ".bias")));
            }
            // 3 embedding tensors + 2 post-norm + 16 per layer; no class token, no pre-norm, no head.
            assertEquals(3 + 2 + 2 * 16, params.size());
            Set<String> names = params.keySet();
            assertTrue(names.stream().noneMatch(n -> n.contains("class_embedding") || n.contains("pre_layrnorm")
                    || n.contains(".head.")), names::toString);
        }
    }

    @Test
    void so400mAt384PixelsGives729TokensPerImage() {
        SiglipVisionConfig so400m = SiglipVisionConfig.so400mLlava();
        assertEquals(27, so400m.patchesPerSide());
        assertEquals(729, so400m.numPatches());
        // A narrow tower of the same geometry really produces 729 tokens.
        try (PointerScope scope = new PointerScope();
             SiglipVisionModel model = new SiglipVisionModel(ParameterFactory.cpuFloat32(), SiglipVisionConfig.of(8, 8, 1, 2, 384, 14))) {
            randomize(model, 1);
            Tensor out = model.hiddenStates(torch.randn(2, 3, 384, 384), -1);
            assertArrayEquals(new long[] {2, 729, 8}, shape(out));
            assertArrayEquals(new long[] {729, 8}, shape(model.namedParameters().get("vision_model.embeddings.position_embedding.weight")));
        }
    }

    @Test
    void theLlavaSo400mTowerHas398MillionParameters() {
        // Built on the meta device: shapes only. 26 layers of SigLIP-so400m-patch14-384, no pooling head.
        try (PointerScope scope = new PointerScope();
             SiglipVisionModel model = new SiglipVisionModel(ParameterFactory.meta(torch.ScalarType.BFloat16),
                     SiglipVisionConfig.so400mLlava())) {
            assertEquals(3 + 2 + 26 * 16, model.namedParameters().size());
            assertEquals(397_747_744L, model.parameterCount());
            assertArrayEquals(new long[] {1152, 3, 14, 14},
                    shape(model.namedParameters().get("vision_model.embeddings.patch_embedding.weight")));
            assertArrayEquals(new long[] {729, 1152},
                    shape(model.namedParameters().get("vision_model.embeddings.position_embedding.weight")));
            assertArrayEquals(new long[] {4304, 1152},
                    shape(model.namedParameters().get("vision_model.encoder.layers.25.mlp.fc1.weight")));
        }
    }

    @Test
    void embeddingsAreTheBiasedStridedConvolutionPlusPositions() {
        try (PointerScope scope = new PointerScope();
             SiglipVisionEmbeddings embeddings = new SiglipVisionEmbeddings(ParameterFactory.cpuFloat32(), tiny())) {
            randomize(embeddings, 2);
            Map<String, Tensor> p = embeddings.namedParameters();
            Tensor pixels = torch.randn(2, 3, 16, 16);
            Tensor conv = torch.conv2d(pixels, p.get("patch_embedding.weight"), new TensorOptional(p.get("patch_embedding.bias")),
                    new long[] {4, 4}, new long[] {0, 0}, new long[] {1, 1}, 1).flatten(2, -1).transpose(1, 2);
            Tensor expected = conv.add(p.get("position_embedding.weight").unsqueeze(0));
            Tensor ours = embeddings.forward(pixels);
            assertArrayEquals(new long[] {2, 16, 8}, shape(ours));
            assertTrue(torch.allclose(ours, expected, 1e-5, 1e-5, false));
        }
    }

    @Test
    void pixelsPastTheLastWholePatchAreIgnoredLikeTheConvolution() {
        // 18 pixels in 4-pixel patches: 4 per side, as 384 in 14-pixel patches gives 27.
        try (PointerScope scope = new PointerScope();
             SiglipVisionEmbeddings embeddings = new SiglipVisionEmbeddings(ParameterFactory.cpuFloat32(),
                     SiglipVisionConfig.of(8, 12, 1, 2, 18, 4))) {
            randomize(embeddings, 5);
            Map<String, Tensor> p = embeddings.namedParameters();
            assertArrayEquals(new long[] {16, 8}, shape(p.get("position_embedding.weight")));
            Tensor pixels = torch.randn(2, 3, 18, 18);
            Tensor conv = torch.conv2d(pixels, p.get("patch_embedding.weight"), new TensorOptional(p.get("patch_embedding.bias")),
                    new long[] {4, 4}, new long[] {0, 0}, new long[] {1, 1}, 1).flatten(2, -1).transpose(1, 2);
            Tensor expected = conv.add(p.get("position_embedding.weight").unsqueeze(0));
            assertTrue(torch.allclose(embeddings.forward(pixels), expected, 1e-5, 1e-5, false));
        }
    }

    @Test
    void wrongPixelShapeIsRefusedNamingTheKey() {
        try (PointerScope scope = new PointerScope();
             SiglipVisionModel model = new SiglipVisionModel(ParameterFactory.cpuFloat32(), tiny())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.hiddenStates(torch.zeros(1, 3, 20, 20), -1));
            assertTrue(e.getMessage().contains("vision_config.image_size"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> model.hiddenStates(torch.zeros(1, 3, 16, 16), 3));
            assertTrue(e.getMessage().contains("vision_feature_layer 3"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.hiddenStates(torch.zeros(1, 3, 16, 16), -4));
        }
    }

    /** One encoder layer written out with plain libtorch ops, following modeling_siglip.py's eager path. */
    private static Tensor referenceLayer(Tensor x, Map<String, Tensor> p, String prefix, int heads, double eps) {
        long b = x.size(0), n = x.size(1), d = x.size(2), hd = d / heads;
        Tensor h = torch.layer_norm(x, new long[] {d}, new TensorOptional(p.get(prefix + "layer_norm1.weight")),
                new TensorOptional(p.get(prefix + "layer_norm1.bias")), eps, false);
        Tensor q = lin(h, p, prefix + "self_attn.q_proj").view(b, n, heads, hd).transpose(1, 2);
        Tensor k = lin(h, p, prefix + "self_attn.k_proj").view(b, n, heads, hd).transpose(1, 2);
        Tensor v = lin(h, p, prefix + "self_attn.v_proj").view(b, n, heads, hd).transpose(1, 2);
        Tensor scores = q.matmul(k.transpose(2, 3)).mul(new Scalar(1.0 / Math.sqrt(hd)));
        // softmax written out: exp(s - max) / sum
        Tensor shifted = scores.sub(scores.amax(new long[] {-1}, true));
        Tensor weights = shifted.exp().div(shifted.exp().sum(new long[] {-1}, true, new ScalarTypeOptional()));
        Tensor attn = weights.matmul(v).transpose(1, 2).reshape(b, n, d);
        Tensor residual = x.add(lin(attn, p, prefix + "self_attn.out_proj"));
        Tensor h2 = torch.layer_norm(residual, new long[] {d}, new TensorOptional(p.get(prefix + "layer_norm2.weight")),
                new TensorOptional(p.get(prefix + "layer_norm2.bias")), eps, false);
        Tensor f = lin(h2, p, prefix + "mlp.fc1");
        Tensor g = geluTanhFormula(f);
        return residual.add(lin(g, p, prefix + "mlp.fc2"));
    }

    private static Tensor lin(Tensor x, Map<String, Tensor> p, String name) {
        return x.matmul(p.get(name + ".weight").t()).add(p.get(name + ".bias"));
    }

    /** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))). */
    static Tensor geluTanhFormula(Tensor x) {
        Tensor inner = x.add(x.pow(new Scalar(3)).mul(new Scalar(0.044715))).mul(new Scalar(Math.sqrt(2 / Math.PI)));
        return x.mul(new Scalar(0.5)).mul(inner.tanh().add(new Scalar(1)));
    }

    @Test
    void encoderLayerMatchesAHandWrittenReference() {
        SiglipVisionConfig config = tiny();
        try (PointerScope scope = new PointerScope();
             VitEncoderLayer layer = new VitEncoderLayer(ParameterFactory.cpuFloat32(), config.encoderSpec())) {
            randomize(layer, 3);
            Tensor x = torch.randn(2, 5, 8);
            Tensor expected = referenceLayer(x, layer.namedParameters(), "", 2, 1e-6);
            Tensor ours = layer.forward(x);
            assertTrue(torch.allclose(ours, expected, 1e-5, 1e-5, false),
                    "max difference " + ours.sub(expected).abs().max().item_float());
        }
    }

    @Test
    void hiddenStatesAreEncoderOutputsBeforePostLayernorm() {
        SiglipVisionConfig config = tiny();
        try (PointerScope scope = new PointerScope();
             SiglipVisionModel model = new SiglipVisionModel(ParameterFactory.cpuFloat32(), config)) {
            randomize(model, 4);
            Map<String, Tensor> p = model.namedParameters();
            Tensor pixels = torch.randn(1, 3, 16, 16);
            Tensor h0 = model.hiddenStates(pixels, 0);
            Tensor h1 = referenceLayer(h0, p, "vision_model.encoder.layers.0.", 2, 1e-6);
            Tensor h2 = referenceLayer(h1, p, "vision_model.encoder.layers.1.", 2, 1e-6);
            assertTrue(torch.allclose(model.hiddenStates(pixels, 1), h1, 1e-5, 1e-5, false));
            assertTrue(torch.allclose(model.hiddenStates(pixels, -2), h1, 1e-5, 1e-5, false));
            assertTrue(torch.allclose(model.hiddenStates(pixels, 2), h2, 1e-5, 1e-5, false));
            assertTrue(torch.allclose(model.hiddenStates(pixels, -1), h2, 1e-5, 1e-5, false));
            assertTrue(torch.allclose(model.hiddenStates(pixels, -3), h0, 0, 0, false));
            Tensor post = torch.layer_norm(h2, new long[] {8}, new TensorOptional(p.get("vision_model.post_layernorm.weight")),
                    new TensorOptional(p.get("vision_model.post_layernorm.bias")), 1e-6, false);
            assertTrue(torch.allclose(model.lastHiddenState(pixels), post, 1e-5, 1e-5, false));
            assertFalse(torch.allclose(post, h2, 1e-3, 1e-3, false));
        }
    }

    @Test
    void geluPytorchTanhMatchesTheFormula() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = torch.linspace(new Scalar(-6), new Scalar(6), 241);
            Tensor ours = Activation.fromConfig("hidden_act", "gelu_pytorch_tanh").apply(x);
            assertTrue(torch.allclose(ours, geluTanhFormula(x), 1e-6, 1e-6, false));
            // and it is not the exact (erf) GELU
            Tensor erf = Activation.GELU.apply(x);
            assertTrue(ours.sub(erf).abs().max().item_float() > 1e-5);
        }
    }
}
