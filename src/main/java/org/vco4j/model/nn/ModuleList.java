package org.vco4j.model.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** {@code torch.nn.ModuleList}: children named 0, 1, 2, … in order. */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        child(Integer.toString(items.size()), module);
        items.add(module);
        return module;
    }

    public M get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    public List<M> items() {
        return Collections.unmodifiableList(items);
    }
}
