package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * transformers' {@code PatchMerger}: LayerNorm ({@code ln_q}, eps 1e-6) of every patch, the {@code merge²}
 * consecutive patches of each merge window concatenated into one row, then {@code mlp.0} (square), GELU (erf) and
 * {@code mlp.2} to the text model's width. The numbering follows the {@code nn.Sequential} of the checkpoint.
 */
final class Qwen2VLPatchMerger extends Module {
    private final int mergedDim;
    private final LayerNorm lnQ;
    private final Linear mlp0;
    private final Linear mlp2;

    Qwen2VLPatchMerger(ParameterFactory factory, Qwen2VLVisionConfig config) {
        mergedDim = config.mergedDim();
        lnQ = child("ln_q", new LayerNorm(factory, config.embedDim, Qwen2VLVisionBlock.NORM_EPS));
        Container mlp = child("mlp", new Container());
        mlp0 = mlp.add("0", new Linear(factory, mergedDim, mergedDim, true));
        mlp2 = mlp.add("2", new Linear(factory, mergedDim, config.hiddenSize, true));
    }

    /** Patches [N, embed_dim] in merge-window order → merged tokens [N / merge², hidden_size]. */
    Tensor forward(Tensor patches) {
        Tensor windows = lnQ.forward(patches).reshape(-1, mergedDim);
        return mlp2.forward(Activation.GELU.apply(mlp0.forward(windows)));
    }
}
