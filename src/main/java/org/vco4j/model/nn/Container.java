package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;

/**
 * A module that only contributes a name to the weight paths (e.g. CLIP's {@code encoder} in
 * {@code encoder.layers.N}); it has no forward of its own. It may hold parameters of its own, as
 * LLaVA-OneVision's {@code model.image_newline}.
 */
public final class Container extends Module {
    public <M extends Module> M add(String name, M module) {
        return child(name, module);
    }

    /** Registers a parameter of this container under its Hugging Face name and returns it. */
    public Tensor addParameter(String name, Tensor value) {
        return parameter(name, value);
    }
}
