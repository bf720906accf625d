package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.model.nn.Attention;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code SiglipMultiheadAttentionPoolingHead} ("MAP"): a learned {@code probe} query attends over the tower's tokens
 * through {@code torch.nn.MultiheadAttention} (packed {@code in_proj_weight} / {@code in_proj_bias}, then
 * {@code out_proj}); the result plus its MLP ({@code layernorm}, {@code fc1}, activation, {@code fc2}) is the pooled
 * output. Names as in the checkpoints ({@code vision_model.head.*}).
 */
public final class SiglipMultiheadAttentionPoolingHead extends Module {
    private final int hidden;
    private final int heads;
    private final Tensor probe;
    private final Tensor inProjWeight;
    private final Tensor inProjBias;
    private final Linear outProj;
    private final LayerNorm layernorm;
    private final Linear fc1;
    private final Linear fc2;
    private final Activation activation;

    public SiglipMultiheadAttentionPoolingHead(ParameterFactory factory, SiglipVisionConfig config) {
        hidden = config.hiddenSize;
        heads = config.numAttentionHeads;
        activation = Activation.fromConfig("vision_config.hidden_act", config.hiddenAct);
        probe = parameter("probe", factory.zeros(1, 1, hidden));
        Container attention = child("attention", new Container());
        inProjWeight = attention.addParameter("in_proj_weight", factory.zeros(3L * hidden, hidden));
        inProjBias = attention.addParameter("in_proj_bias", factory.zeros(3L * hidden));
        outProj = attention.add("out_proj", new Linear(factory, hidden, hidden, true));
        layernorm = child("layernorm", new LayerNorm(factory, hidden, config.layerNormEps));
        Container mlp = child("mlp", new Container());
        fc1 = mlp.add("fc1", new Linear(factory, hidden, config.intermediateSize, true));
        fc2 = mlp.add("fc2", new Linear(factory, config.intermediateSize, hidden, true));
    }

    /** The pooled output [batch, hidden] of {@code tokens} [batch, length, hidden] (after {@code post_layernorm}). */
    public Tensor forward(Tensor tokens) {
        long batch = tokens.size(0);
        Tensor query = probe.expand(batch, 1, hidden);
        // MultiheadAttention's packed projection: rows [0, D) are the query's, [D, 2D) the key's, [2D, 3D) the value's.
        Tensor q = heads(projection(query, 0), batch);
        Tensor k = heads(projection(tokens, 1), batch);
        Tensor v = heads(projection(tokens, 2), batch);
        Tensor attended = Attention.scaledDotProduct(q, k, v, null);
        Tensor pooled = outProj.forward(attended.transpose(1, 2).reshape(batch, 1, hidden));
        pooled = pooled.add(fc2.forward(activation.apply(fc1.forward(layernorm.forward(pooled)))));
        return pooled.select(1, 0);
    }

    private Tensor projection(Tensor x, int part) {
        return Flops.linear(x, inProjWeight.narrow(0, (long) part * hidden, hidden), inProjBias.narrow(0, (long) part * hidden, hidden));
    }

    private Tensor heads(Tensor x, long batch) {
        return x.view(batch, -1, heads, hidden / heads).transpose(1, 2);
    }
}
