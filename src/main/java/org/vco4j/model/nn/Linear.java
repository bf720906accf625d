package org.vco4j.model.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.Map;

/**
 * {@code torch.nn.Linear}: {@code weight} is [out, in], optional {@code bias} [out]. May carry one
 * {@link LinearAdapter} (a LoRA update), whose modules are registered as children of this layer.
 */
public class Linear extends Module {
    public final long inFeatures;
    public final long outFeatures;
    protected final Tensor weight;
    protected final Tensor bias;
    private LinearAdapter adapter;

    public Linear(ParameterFactory factory, long inFeatures, long outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", factory.zeros(outFeatures, inFeatures));
        this.bias = bias ? parameter("bias", factory.zeros(outFeatures)) : null;
    }

    public Tensor forward(Tensor input) {
        Tensor output = Flops.linear(input, weight, bias);
        return adapter == null ? output : adapter.forward(input, output);
    }

    public Tensor weight() {
        return weight;
    }

    /** The adapter, or null when there is none. */
    public LinearAdapter adapter() {
        return adapter;
    }

    /** Gives this layer an adapter and registers its modules as children. */
    public void setAdapter(LinearAdapter adapter) {
        if (this.adapter != null) throw new IllegalStateException("the layer already has an adapter");
        for (String name : adapter.modules().keySet()) {
            if (children().containsKey(name)) throw new IllegalStateException("the layer already has a child '" + name + "'");
        }
        adapter.modules().forEach(this::child);
        this.adapter = adapter;
    }

    /** Takes the adapter off and closes its modules (their parameters are freed). */
    public void removeAdapter() {
        if (adapter == null) return;
        for (Map.Entry<String, Module> e : adapter.modules().entrySet()) {
            Module removed = removeChild(e.getKey());
            if (removed != null) removed.close();
        }
        adapter = null;
    }
}
