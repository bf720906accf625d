package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * transformers' {@code PatchEmbed}: a bias-free {@code Conv3d} whose kernel equals its stride (frames × patch ×
 * patch), so on pixel values already cut into patch rows it is one matrix product of each row with the kernel
 * flattened in the rows' own (channel, frame, y, x) order. The checkpoint keeps the 5-D kernel as
 * {@code proj.weight} [embed_dim, channels, frames, patch, patch].
 */
final class Qwen2VLPatchEmbed extends Module {
    private final int embedDim;
    private final Tensor weight;

    Qwen2VLPatchEmbed(ParameterFactory factory, Qwen2VLVisionConfig config) {
        embedDim = config.embedDim;
        Container proj = child("proj", new Container());
        weight = proj.addParameter("weight", factory.zeros(config.embedDim, config.inChannels, config.temporalPatchSize,
                config.patchSize, config.patchSize));
    }

    /** Patch rows [N, channels·frames·patch²] → patch embeddings [N, embed_dim] in the weights' dtype. */
    Tensor forward(Tensor patches) {
        return Flops.linear(patches.to(weight.scalar_type()), weight.reshape(embedDim, -1), null);
    }
}
