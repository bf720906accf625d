package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;

import java.util.Map;

/**
 * A trainable addition to a {@link Linear} layer's output, such as a LoRA update. Its modules become
 * children of the layer, so their parameters are named under it ({@code q_proj.lora_A.weight}), as in
 * PEFT's wrapped layers.
 */
public interface LinearAdapter {

    /** The adapter's modules by the names they take under the layer. */
    Map<String, Module> modules();

    /**
     * The layer's output.
     *
     * @param input      what the layer was given
     * @param baseOutput the layer's own result for it, {@code input · weightᵀ + bias}
     */
    Tensor forward(Tensor input, Tensor baseOutput);
}
