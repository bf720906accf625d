package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Attention;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * transformers' {@code VisionAttention}: one fused {@code qkv} projection (with bias) split as (q, k, v) × heads,
 * the 2-D rotary embedding on queries and keys, bidirectional attention restricted by a mask to the patches of the
 * same image (what {@code cu_seqlens} expresses in transformers), and the output projection {@code proj}.
 */
final class Qwen2VLVisionAttention extends Module {
    private final int heads;
    private final int headDim;
    private final Linear qkv;
    private final Linear proj;

    Qwen2VLVisionAttention(ParameterFactory factory, Qwen2VLVisionConfig config) {
        heads = config.numHeads;
        headDim = config.headDim();
        qkv = child("qkv", new Linear(factory, config.embedDim, 3L * config.embedDim, true));
        proj = child("proj", new Linear(factory, config.embedDim, config.embedDim, true));
    }

    /**
     * Patches [N, embed_dim] with their rotary cos/sin [N, head_dim] and the mask [N, N] (true where a patch may
     * attend; null when all patches belong to one image) → [N, embed_dim].
     */
    Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor mask) {
        long length = hidden.size(0);
        // [N, 3·d] → [3, heads, N, head_dim]
        Tensor states = qkv.forward(hidden).view(length, 3, heads, headDim).permute(1, 2, 0, 3);
        Tensor q = Qwen2VLVisionRotary.apply(states.select(0, 0), cos, sin).unsqueeze(0);
        Tensor k = Qwen2VLVisionRotary.apply(states.select(0, 1), cos, sin).unsqueeze(0);
        Tensor v = states.select(0, 2).unsqueeze(0);
        Tensor attended = Attention.scaledDotProduct(q, k, v, mask);
        return proj.forward(attended.squeeze(0).transpose(0, 1).reshape(length, (long) heads * headDim));
    }
}
