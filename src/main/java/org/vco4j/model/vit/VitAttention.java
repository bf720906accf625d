package org.vco4j.model.vit;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Attention;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code CLIPAttention} / {@code SiglipAttention} / DINOv2's {@code Dinov2Attention}: bidirectional multi-head
 * attention, its projections named by the spec's {@link VitLayout}.
 */
final class VitAttention extends Module {
    private final int heads;
    private final int headDim;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;
    private final Linear outProj;

    VitAttention(ParameterFactory factory, VitEncoderSpec spec) {
        this.heads = spec.numAttentionHeads();
        this.headDim = spec.hiddenSize() / heads;
        int d = spec.hiddenSize();
        VitLayout names = spec.layout();
        boolean bias = spec.qkvBias();
        // Registered in the checkpoints' order.
        kProj = Modules.at(this, this::child, names.key(), new Linear(factory, d, d, bias));
        vProj = Modules.at(this, this::child, names.value(), new Linear(factory, d, d, bias));
        qProj = Modules.at(this, this::child, names.query(), new Linear(factory, d, d, bias));
        outProj = Modules.at(this, this::child, names.output(), new Linear(factory, d, d, true));
    }

    Tensor forward(Tensor hidden) {
        long batch = hidden.size(0);
        long length = hidden.size(1);
        Tensor q = split(qProj.forward(hidden), batch, length);
        Tensor k = split(kProj.forward(hidden), batch, length);
        Tensor v = split(vProj.forward(hidden), batch, length);
        Tensor attended = Attention.scaledDotProduct(q, k, v, null);
        return outProj.forward(attended.transpose(1, 2).reshape(batch, length, (long) heads * headDim));
    }

    private Tensor split(Tensor x, long batch, long length) {
        return x.view(batch, length, heads, headDim).transpose(1, 2);
    }
}
