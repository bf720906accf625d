package org.vco4j.model.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.tensor.Tensors;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic random initialisation, as Hugging Face's {@code _init_weights} does it for these
 * families: normal(0, std) for matrices and embeddings, zero biases, unit norm weights. Each parameter
 * draws from a generator seeded by (seed, name), so values do not depend on construction order or on
 * libtorch's global generator.
 */
public final class RandomInit {
    private RandomInit() {}

    public static void apply(Module module, long seed, double std) {
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
                try (PointerScope scope = new PointerScope()) {
                    String name = e.getKey();
                    Tensor parameter = e.getValue();
                    if (isNormWeight(name)) {
                        parameter.fill_(new org.bytedeco.pytorch.Scalar(1.0));
                    } else if (name.endsWith(".bias")) {
                        parameter.zero_();
                    } else {
                        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + name.hashCode());
                        float[] values = new float[(int) parameter.numel()];
                        for (int i = 0; i < values.length; i++) values[i] = (float) (gaussian(random) * std);
                        parameter.copy_(Tensors.floats(values, parameter.sizes().vec().get()));
                    }
                }
            }
        }
    }

    /** Whether a parameter is a normalisation weight (initialised to one); Qwen2-VL's merger calls its LayerNorm {@code ln_q}. */
    public static boolean isNormWeight(String name) {
        return name.endsWith(".weight") && (name.contains("norm") || name.contains("layrnorm") || name.endsWith(".ln_q.weight"));
    }

    /** Box–Muller, so the sequence is fixed by the seed on every JVM. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
