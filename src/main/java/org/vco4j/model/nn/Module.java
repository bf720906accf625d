package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tree of named parameters, named exactly as the Hugging Face module tree names them, so that the
 * dotted path of a parameter is its checkpoint key ({@code model.language_model.layers.0.self_attn.q_proj.weight}).
 *
 * <p>Owns native memory: parameters are retained (reference-counted) so that a
 * {@link org.bytedeco.javacpp.PointerScope} open while the module is built does not free them; {@link #close()}
 * releases them.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();

    /** Registers a parameter under its Hugging Face name and returns it. */
    protected final Tensor parameter(String name, Tensor value) {
        value.retainReference();
        Tensor old = parameters.put(name, value);
        if (old != null) old.releaseReference();
        return value;
    }

    /** Registers a submodule under its Hugging Face name and returns it. */
    protected final <M extends Module> M child(String name, M module) {
        children.put(name, module);
        return module;
    }

    /**
     * Unregisters a submodule and returns it (null when there is none), leaving it open: the caller
     * now owns it and closes it.
     */
    protected final Module removeChild(String name) {
        return children.remove(name);
    }

    /** Every parameter of this tree by dotted name, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, tensor) -> out.put(prefix + name, tensor));
        children.forEach((name, module) -> module.collect(prefix + name + ".", out));
    }

    /** Every submodule of this tree (not the root itself) by dotted path, parents before their children. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        children.forEach((name, module) -> {
            out.put(prefix + name, module);
            module.collectModules(prefix + name + ".", out);
        });
    }

    /** The direct submodules, in registration order. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Number of scalar parameters (shared tensors counted once). */
    public final long parameterCount() {
        long n = 0;
        List<Tensor> seen = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            boolean shared = false;
            for (Tensor s : seen) if (s.is_same(t)) { shared = true; break; }
            if (!shared) { seen.add(t); n += t.numel(); }
        }
        return n;
    }

    /** Turns gradient tracking of every parameter in this tree on or off. */
    public final void requiresGrad(boolean on) {
        for (Tensor t : namedParameters().values()) t.requires_grad_(on);
    }

    @Override
    public void close() {
        parameters.values().forEach(Tensor::releaseReference);
        parameters.clear();
        children.values().forEach(Module::close);
        children.clear();
    }
}
