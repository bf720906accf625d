package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Tensors held in memory as a {@link WeightSource} (tests, conversions). Does not own the tensors. */
public final class MemoryWeights implements WeightSource {
    private final Map<String, Tensor> tensors;
    private final String description;

    public MemoryWeights(Map<String, Tensor> tensors, String description) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.description = description;
    }

    @Override public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }
    @Override public long[] shape(String name) { return tensors.get(name).sizes().vec().get(); }
    @Override public ScalarType dtype(String name) { return tensors.get(name).scalar_type(); }
    @Override public Tensor load(String name) { return tensors.get(name).detach().clone(); }
    @Override public String describe() { return description; }
    @Override public void close() {}
}
