package org.vco4j.model.lora;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.LinearAdapter;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PEFT's LoRA {@code Linear}: {@code lora_A} (in → r, no bias) and {@code lora_B} (r → out, no bias)
 * added to a base layer as {@code base(x) + scaling · lora_B(lora_A(dropout(x)))}.
 *
 * <p>The adapter weights are float32 whatever the base precision, as PEFT keeps them by default
 * ({@code autocast_adapter_dtype}): the input is cast to float32 and the update back to the output's
 * dtype. The weights are children of the base layer and freed with the model.
 */
public final class LoraLayer implements LinearAdapter {
    private final Linear loraA;
    private final Linear loraB;
    private final double scaling;
    private final LoraAdapters owner;

    LoraLayer(Linear base, int r, double scaling, LoraAdapters owner) {
        ParameterFactory factory = new ParameterFactory(base.weight().device(), ScalarType.Float);
        this.loraA = new Linear(factory, base.inFeatures, r, false);
        this.loraB = new Linear(factory, r, base.outFeatures, false);
        this.scaling = scaling;
        this.owner = owner;
    }

    @Override
    public Map<String, Module> modules() {
        Map<String, Module> modules = new LinkedHashMap<>();
        modules.put("lora_A", loraA);
        modules.put("lora_B", loraB);
        return modules;
    }

    @Override
    public Tensor forward(Tensor input, Tensor baseOutput) {
        if (!owner.enabled()) return baseOutput;
        Tensor x = owner.dropoutIfTraining(input.to(loraA.weight().scalar_type()));
        Tensor down = loraA.forward(x);
        double scale = scaling * owner.dropoutRescale(); // dropout's 1 / (1 - p) applied to r columns, not to x
        if (baseOutput.scalar_type().intern() == loraB.weight().scalar_type().intern()) {
            // base + scale · B(down) in one accumulating product: no scaled copy and no sum of the output's size
            Tensor flat = Flops.addLinear(baseOutput.reshape(-1, baseOutput.size(-1)), down.reshape(-1, down.size(-1)),
                    loraB.weight(), scale);
            return flat.view(baseOutput.sizes());
        }
        Tensor update = loraB.forward(down).mul(new Scalar(scale));
        return baseOutput.add(update.to(baseOutput.scalar_type()));
    }

    /** {@code lora_A.weight}, [r, in]. */
    public Tensor a() {
        return loraA.weight();
    }

    /** {@code lora_B.weight}, [out, r]. */
    public Tensor b() {
        return loraB.weight();
    }

    public double scaling() {
        return scaling;
    }

    /** The change to the base weight this adapter amounts to: {@code scaling · B · A}, [out, in], float32. */
    public Tensor deltaWeight() {
        return loraB.weight().matmul(loraA.weight()).mul(new Scalar(scaling));
    }
}
