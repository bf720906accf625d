package org.vco4j.model.llama;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Attention;
import org.vco4j.model.KvCache;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code LlamaAttention}: rotary, grouped-query attention over the cached and the new keys. */
public final class LlamaAttention extends Module {
    private final int layerIndex;
    private final int heads;
    private final int keyValueHeads;
    private final int headDim;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear oProj;

    LlamaAttention(ParameterFactory factory, DecoderSpec spec, int layerIndex) {
        this.layerIndex = layerIndex;
        this.heads = spec.heads();
        this.keyValueHeads = spec.keyValueHeads();
        this.headDim = spec.headDimension();
        int d = spec.hiddenSize();
        qProj = child("q_proj", new Linear(factory, d, (long) heads * headDim, spec.qkvBias()));
        kProj = child("k_proj", new Linear(factory, d, (long) keyValueHeads * headDim, spec.qkvBias()));
        vProj = child("v_proj", new Linear(factory, d, (long) keyValueHeads * headDim, spec.qkvBias()));
        oProj = child("o_proj", new Linear(factory, (long) heads * headDim, d, spec.outputBias()));
    }

    /**
     * @param mask boolean [B, 1, T - readFrom, past + T], true where a query may attend to a key; null for the causal
     *             mask alone (no cache, no key padding before a real token, every position read)
     * @param cache receives this layer's new keys and values; may be null
     * @param readFrom the first new position whose output is wanted: keys and values come from every position, queries
     *                 (rotated by {@code queryCos}, {@code querySin}) from these only
     * @return [B, T - readFrom, hidden]
     */
    Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor queryCos, Tensor querySin, Tensor mask, KvCache cache,
                   long readFrom) {
        long batch = hidden.size(0);
        long length = hidden.size(1);
        long queries = length - readFrom;
        Tensor queryInput = readFrom == 0 ? hidden : hidden.narrow(1, readFrom, queries);
        Tensor q = qProj.forward(queryInput).view(batch, queries, heads, headDim).transpose(1, 2);
        Tensor k = kProj.forward(hidden).view(batch, length, keyValueHeads, headDim).transpose(1, 2);
        Tensor v = vProj.forward(hidden).view(batch, length, keyValueHeads, headDim).transpose(1, 2);
        q = LlamaRotaryEmbedding.apply(q, queryCos, querySin);
        k = LlamaRotaryEmbedding.apply(k, cos, sin);
        if (cache != null) {
            Tensor[] kv = cache.append(layerIndex, k, v);
            k = kv[0];
            v = kv[1];
        }
        k = repeatKeyValue(k);
        v = repeatKeyValue(v);
        Tensor attended = mask == null ? Attention.causal(q, k, v) : Attention.scaledDotProduct(q, k, v, mask);
        return oProj.forward(attended.transpose(1, 2).reshape(batch, queries, (long) heads * headDim));
    }

    /** {@code repeat_kv}: each key/value head serves {@code heads / keyValueHeads} query heads. */
    private Tensor repeatKeyValue(Tensor x) {
        int groups = heads / keyValueHeads;
        if (groups == 1) return x;
        long b = x.size(0);
        long s = x.size(2);
        return x.unsqueeze(2).expand(b, keyValueHeads, groups, s, headDim).reshape(b, heads, s, headDim);
    }
}
