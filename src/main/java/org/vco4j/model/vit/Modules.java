package org.vco4j.model.vit;

import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.Module;

import java.util.function.BiFunction;

/** Registration of a module under a dotted Hugging Face path, creating the {@link Container}s on the way. */
final class Modules {
    private Modules() {}

    /**
     * Registers {@code module} at {@code path} below a parent, where {@code register} is the parent's own
     * {@code child} method; intermediate names become containers (shared by later paths through them).
     */
    static <M extends Module> M at(Module parent, BiFunction<String, Module, Module> register, String path, M module) {
        int dot = path.indexOf('.');
        if (dot < 0) {
            register.apply(path, module);
            return module;
        }
        String head = path.substring(0, dot);
        Module existing = parent.children().get(head);
        Container container = existing instanceof Container c ? c : (Container) register.apply(head, new Container());
        return at(container, container::add, path.substring(dot + 1), module);
    }
}
