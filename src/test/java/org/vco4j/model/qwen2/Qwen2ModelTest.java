package org.vco4j.model.qwen2;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.KvCache;
import org.vco4j.model.llama.LlamaConfig;
import org.vco4j.model.llama.LlamaModel;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class Qwen2ModelTest {
    private static final int VOCAB = 40;
    private static final int HIDDEN = 32;
    private static final int INTERMEDIATE = 48;
    private static final int HEADS = 4;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = HIDDEN / HEADS;
    private static final double THETA = 1e6;
    private static final double EPS = 1e-6;

    static Qwen2Config tinyConfig(int layers, boolean tied) {
        Qwen2Config c = new Qwen2Config();
        c.vocabSize = VOCAB;
        c.hiddenSize = HIDDEN;
        c.intermediateSize = INTERMEDIATE;
        c.numHiddenLayers = layers;
        c.numAttentionHeads = HEADS;
        c.numKeyValueHeads = KV_HEADS;
        c.maxPositionEmbeddings = 64;
        c.ropeTheta = THETA;
        c.tieWordEmbeddings = tied;
        return c;
    }

    /** Random weights, with random (non-zero) biases and norm weights unless {@code zeroBiases}. */
    static <M extends org.vco4j.model.nn.Module> M randomise(M module, long seed, boolean zeroBiases) {
        RandomInit.apply(module, seed, 0.2);
        torch.manual_seed(seed);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
                Tensor p = e.getValue();
                if (e.getKey().endsWith(".bias") && !zeroBiases) p.copy_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.5)));
                if (e.getKey().contains("norm")) p.copy_(torch.rand(p.sizes().vec().get()).add(new Scalar(0.5)));
            }
        }
        return module;
    }

    @Test
    void parameterNamesAndShapesFollowHuggingFace() {
        try (PointerScope scope = new PointerScope();
             Qwen2ForCausalLM tied = new Qwen2ForCausalLM(ParameterFactory.cpuFloat32(), tinyConfig(2, true));
             Qwen2ForCausalLM untied = new Qwen2ForCausalLM(ParameterFactory.cpuFloat32(), tinyConfig(2, false))) {
            Map<String, Tensor> p = tied.namedParameters();
            long[][] expected = {
                    {VOCAB, HIDDEN}, {HEADS * HEAD_DIM, HIDDEN}, {HEADS * HEAD_DIM}, {KV_HEADS * HEAD_DIM, HIDDEN},
                    {KV_HEADS * HEAD_DIM}, {KV_HEADS * HEAD_DIM}, {HIDDEN, HEADS * HEAD_DIM}, {INTERMEDIATE, HIDDEN},
                    {INTERMEDIATE, HIDDEN}, {HIDDEN, INTERMEDIATE}, {HIDDEN}, {HIDDEN}, {HIDDEN}};
            String[] names = {
                    "model.embed_tokens.weight", "model.layers.1.self_attn.q_proj.weight",
                    "model.layers.1.self_attn.q_proj.bias", "model.layers.0.self_attn.k_proj.weight",
                    "model.layers.0.self_attn.k_proj.bias", "model.layers.0.self_attn.v_proj.bias",
                    "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
                    "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
                    "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
                    "model.norm.weight"};
            for (int i = 0; i < names.length; i++) {
                assertTrue(p.containsKey(names[i]), names[i]);
                assertArrayEquals(expected[i], Tensors.shape(p.get(names[i])), names[i]);
            }
            // 2 layers x (4 attention weights + 3 biases + 3 MLP + 2 norms) + embeddings + final norm
            assertEquals(2 * 12 + 2, p.size(), p.keySet().toString());
            assertFalse(p.containsKey("model.layers.0.self_attn.o_proj.bias"));
            assertFalse(p.containsKey("model.layers.0.mlp.gate_proj.bias"));
            assertFalse(p.containsKey("lm_head.weight"), "a tied head has no weight of its own");
            assertArrayEquals(new long[] {VOCAB, HIDDEN}, Tensors.shape(untied.namedParameters().get("lm_head.weight")));
            assertEquals(p.size() + 1, untied.namedParameters().size());
        }
    }

    @Test
    void tiedHeadScoresWithTheEmbeddingMatrix() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             Qwen2ForCausalLM model = randomise(new Qwen2ForCausalLM(ParameterFactory.cpuFloat32(), tinyConfig(1, true)), 5, false)) {
            Tensor hidden = model.decode(model.model().embedTokens().forward(Tensors.longs(new long[] {3, 7, 9}, 1, 3)), null, null);
            Tensor logits = model.logits(hidden);
            assertArrayEquals(new long[] {1, 3, VOCAB}, Tensors.shape(logits));
            Tensor embed = model.namedParameters().get("model.embed_tokens.weight");
            assertTrue(torch.allclose(logits, torch.matmul(hidden, embed.t()), 1e-6, 1e-6, false));
        }
    }

    @Test
    void withZeroBiasesEqualsTheLlamaDecoder() {
        LlamaConfig llama = new LlamaConfig();
        llama.vocabSize = VOCAB;
        llama.hiddenSize = HIDDEN;
        llama.intermediateSize = INTERMEDIATE;
        llama.numHiddenLayers = 2;
        llama.numAttentionHeads = HEADS;
        llama.numKeyValueHeads = KV_HEADS;
        llama.maxPositionEmbeddings = 64;
        llama.ropeTheta = THETA;
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             Qwen2Model qwen = randomise(new Qwen2Model(ParameterFactory.cpuFloat32(), tinyConfig(2, false)), 11, true);
             LlamaModel reference = new LlamaModel(ParameterFactory.cpuFloat32(), llama)) {
            Map<String, Tensor> weights = qwen.namedParameters();
            reference.namedParameters().forEach((name, t) -> t.copy_(weights.get(name)));
            assertEquals(reference.namedParameters().size() + 2 * 3, weights.size());
            Tensor embeds = torch.randn(2, 7, HIDDEN);
            Tensor keyValid = Tensors.longs(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 7)
                    .to(torch.ScalarType.Bool);
            assertTrue(torch.allclose(reference.forward(embeds, keyValid, null), qwen.forward(embeds, keyValid, null),
                    1e-5, 1e-6, false));
        }
    }

    @Test
    void oneLayerWithBiasesMatchesAHandWrittenReference() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             Qwen2Model model = randomise(new Qwen2Model(ParameterFactory.cpuFloat32(), tinyConfig(1, false)), 13, false)) {
            Map<String, Tensor> w = model.namedParameters();
            assertTrue(torch.count_nonzero(w.get("layers.0.self_attn.k_proj.bias")).item_long() > 0);
            int length = 6;
            Tensor x = torch.randn(length, HIDDEN);
            Tensor actual = model.forward(x.unsqueeze(0), null, null).squeeze(0);
            assertTrue(torch.allclose(actual, reference(w, x), 1e-4, 1e-5, false), "Qwen2 layer differs from the reference");
        }
    }

    /** One Qwen2 decoder layer and the final norm on [T, hidden], written out with plain libtorch ops. */
    private static Tensor reference(Map<String, Tensor> w, Tensor x) {
        int length = (int) x.size(0);
        String a = "layers.0.self_attn.";
        Tensor h = rmsNorm(x, w.get("layers.0.input_layernorm.weight"));
        Tensor q = heads(linear(h, w.get(a + "q_proj.weight"), w.get(a + "q_proj.bias")), HEADS);
        Tensor k = heads(linear(h, w.get(a + "k_proj.weight"), w.get(a + "k_proj.bias")), KV_HEADS);
        Tensor v = heads(linear(h, w.get(a + "v_proj.weight"), w.get(a + "v_proj.bias")), KV_HEADS);
        // rotary: angle(t, j) = t / θ^(2j/d), the same angle for dimension j and j + d/2
        float[] cos = new float[length * HEAD_DIM];
        float[] sin = new float[length * HEAD_DIM];
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < HEAD_DIM; j++) {
                double angle = t / Math.pow(THETA, 2.0 * (j % (HEAD_DIM / 2)) / HEAD_DIM);
                cos[t * HEAD_DIM + j] = (float) Math.cos(angle);
                sin[t * HEAD_DIM + j] = (float) Math.sin(angle);
            }
        }
        Tensor cosT = Tensors.floats(cos, length, HEAD_DIM);
        Tensor sinT = Tensors.floats(sin, length, HEAD_DIM);
        q = rotate(q, cosT, sinT);
        k = rotate(k, cosT, sinT);
        // query head i reads key/value head i / (HEADS / KV_HEADS)
        long[] group = new long[HEADS];
        for (int i = 0; i < HEADS; i++) group[i] = i / (HEADS / KV_HEADS);
        k = k.index_select(0, Tensors.longs(group));
        v = v.index_select(0, Tensors.longs(group));
        float[] causal = new float[length * length];
        for (int t = 0; t < length; t++) for (int s = t + 1; s < length; s++) causal[t * length + s] = Float.NEGATIVE_INFINITY;
        Tensor scores = torch.matmul(q, k.transpose(1, 2)).div(new Scalar(Math.sqrt(HEAD_DIM)))
                .add(Tensors.floats(causal, length, length));
        Tensor attended = torch.matmul(scores.softmax(-1), v).permute(1, 0, 2).reshape(length, HIDDEN);
        Tensor residual = x.add(torch.matmul(attended, w.get(a + "o_proj.weight").t()));
        Tensor m = rmsNorm(residual, w.get("layers.0.post_attention_layernorm.weight"));
        Tensor gate = torch.matmul(m, w.get("layers.0.mlp.gate_proj.weight").t());
        Tensor up = torch.matmul(m, w.get("layers.0.mlp.up_proj.weight").t());
        Tensor mlp = torch.matmul(gate.mul(torch.sigmoid(gate)).mul(up), w.get("layers.0.mlp.down_proj.weight").t());
        return rmsNorm(residual.add(mlp), w.get("norm.weight"));
    }

    private static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return torch.matmul(x, weight.t()).add(bias);
    }

    private static Tensor heads(Tensor x, int count) {
        return x.view(x.size(0), count, HEAD_DIM).permute(1, 0, 2);
    }

    private static Tensor rotate(Tensor x, Tensor cos, Tensor sin) {
        Tensor first = x.narrow(-1, 0, HEAD_DIM / 2);
        Tensor second = x.narrow(-1, HEAD_DIM / 2, HEAD_DIM / 2);
        return x.mul(cos).add(torch.cat(new org.bytedeco.pytorch.TensorVector(second.neg(), first), -1).mul(sin));
    }

    private static Tensor rmsNorm(Tensor x, Tensor weight) {
        Tensor meanSquare = x.mul(x).mean(new long[] {-1}, true, new ScalarTypeOptional());
        return x.div(meanSquare.add(new Scalar(EPS)).sqrt()).mul(weight);
    }

    @Test
    void cachedDecodingEqualsRecomputationWithPaddingAndGroupedQueries() {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard();
             Qwen2ForCausalLM model = randomise(new Qwen2ForCausalLM(ParameterFactory.cpuFloat32(), tinyConfig(2, true)), 17, false)) {
            long[] ids = {0, 0, 5, 9, 12, 3, 8, 30, 21, 4, 11, 6, 7, 2, 19, 25, 1, 33, 14, 10};
            Tensor embeds = model.model().embedTokens().forward(Tensors.longs(ids, 2, 10));
            Tensor keyValid = Tensors.longs(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 10)
                    .to(torch.ScalarType.Bool);
            Tensor full = model.logits(model.decode(embeds, keyValid, null));
            try (KvCache cache = new KvCache(2)) {
                List<Tensor> steps = new ArrayList<>();
                steps.add(model.logits(model.decode(embeds.narrow(1, 0, 7), keyValid.narrow(1, 0, 7), cache)));
                for (int t = 7; t < 10; t++) {
                    steps.add(model.logits(model.decode(embeds.narrow(1, t, 1), keyValid.narrow(1, 0, t + 1), cache)));
                }
                assertTrue(torch.allclose(full, Tensors.cat(steps, 1), 1e-5, 1e-5, false), "cached and recomputed logits differ");
                assertEquals(10, cache.length());
            }
            // left padding does not move the real tokens' positions: row 0 alone equals row 0 padded
            Tensor alone = model.logits(model.decode(embeds.narrow(0, 0, 1).narrow(1, 2, 8), null, null));
            assertTrue(torch.allclose(alone, full.narrow(0, 0, 1).narrow(1, 2, 8), 1e-5, 1e-5, false));
        }
    }
}
