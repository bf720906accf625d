package org.vco4j.model.llama;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.KvCache;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RmsNorm;

/** {@code LlamaDecoderLayer}: pre-norm attention and SwiGLU blocks with residuals. */
public final class LlamaDecoderLayer extends Module {
    private final LlamaAttention selfAttn;
    private final LlamaMlp mlp;
    private final RmsNorm inputLayernorm;
    private final RmsNorm postAttentionLayernorm;

    LlamaDecoderLayer(ParameterFactory factory, DecoderSpec spec, int layerIndex) {
        selfAttn = child("self_attn", new LlamaAttention(factory, spec, layerIndex));
        mlp = child("mlp", new LlamaMlp(factory, spec));
        inputLayernorm = child("input_layernorm", new RmsNorm(factory, spec.hiddenSize(), spec.rmsNormEps()));
        postAttentionLayernorm = child("post_attention_layernorm",
                new RmsNorm(factory, spec.hiddenSize(), spec.rmsNormEps()));
    }

    Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor mask, KvCache cache) {
        return forward(hidden, cos, sin, cos, sin, mask, cache, 0);
    }

    /**
     * The outputs at positions {@code readFrom} and after only: keys and values of every position, the rest of the
     * layer at those positions ({@code readCos}, {@code readSin} and {@code readMask} are theirs).
     */
    Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor readCos, Tensor readSin, Tensor readMask,
                   KvCache cache, long readFrom) {
        Tensor attended = selfAttn.forward(inputLayernorm.forward(hidden), cos, sin, readCos, readSin, readMask, cache,
                readFrom);
        Tensor read = (readFrom == 0 ? hidden : hidden.narrow(1, readFrom, hidden.size(1) - readFrom)).add(attended);
        return read.add(mlp.forward(postAttentionLayernorm.forward(read)));
    }
}
