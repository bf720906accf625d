package org.vco4j.model.nn;

/**
 * A module that only contributes a name to the weight paths (e.g. CLIP's {@code encoder} in
 * {@code encoder.layers.N}); it has no forward of its own.
 */
public final class Container extends Module {
    public <M extends Module> M add(String name, M module) {
        return child(name, module);
    }
}
