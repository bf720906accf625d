package org.vco4j.model.nn;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.vco4j.tensor.Tensors;

import static org.junit.jupiter.api.Assertions.*;

/** Reduced-precision attention on the CPU is computed in float32 and keeps the inputs' dtype; causal needs no mask. */
class AttentionTest {

    @Test
    void causalAttendsLikeTheLowerTriangularMask() {
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(5);
            long[] shape = {3, 2, 7, 8};
            Tensor q = torch.randn(shape), k = torch.randn(shape), v = torch.randn(shape);
            Tensor mask = torch.ones(new long[] {7, 7}, ParameterFactory.cpuFloat32().options(ScalarType.Bool)).tril().view(1, 1, 7, 7);
            assertArrayEquals(Tensors.toFloatArray(Attention.scaledDotProduct(q, k, v, mask)),
                    Tensors.toFloatArray(Attention.causal(q, k, v)), 1e-5f);
            float[] unmasked = Tensors.toFloatArray(Attention.scaledDotProduct(q, k, v, null));
            float[] causal = Tensors.toFloatArray(Attention.causal(q, k, v));
            boolean differs = false;
            for (int i = 0; i < causal.length; i++) differs |= Math.abs(causal[i] - unmasked[i]) > 1e-3;
            assertTrue(differs, "causal attention must not see later keys");
        }
    }

    @Test
    void bf16AttendsLikeFloat32() {
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(3);
            Tensor q = torch.randn(new long[] {1, 2, 5, 8});
            Tensor k = torch.randn(new long[] {1, 2, 5, 8});
            Tensor v = torch.randn(new long[] {1, 2, 5, 8});
            Tensor mask = torch.ones(new long[] {5, 5}, ParameterFactory.cpuFloat32().options(ScalarType.Bool)).tril().view(1, 1, 5, 5);
            Tensor reference = Attention.scaledDotProduct(q, k, v, mask);
            Tensor low = Attention.scaledDotProduct(q.to(ScalarType.BFloat16), k.to(ScalarType.BFloat16), v.to(ScalarType.BFloat16), mask);
            assertEquals(ScalarType.BFloat16, low.scalar_type().intern());
            float[] a = Tensors.toFloatArray(reference);
            float[] b = Tensors.toFloatArray(low.to(ScalarType.Float));
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0.05, "element " + i);
            // The first query sees only the first key: its output is the first value row, exactly.
            assertArrayEquals(Tensors.toFloatArray(v.narrow(2, 0, 1)), Tensors.toFloatArray(reference.narrow(2, 0, 1)), 1e-6f);
        }
    }

    @Test
    void underMixedPrecisionTheCpuAttendsInFloat32() {
        try (PointerScope scope = new PointerScope()) {
            torch.manual_seed(3);
            Tensor q = torch.randn(1, 2, 5, 8);
            Tensor k = torch.randn(1, 2, 5, 8);
            Tensor v = torch.randn(1, 2, 5, 8);
            Tensor plain = Attention.scaledDotProduct(q, k, v, null);
            Tensor mixed;
            try (org.vco4j.tensor.Autocast region = org.vco4j.tensor.Autocast.region(q.device(), ScalarType.BFloat16)) {
                mixed = Attention.scaledDotProduct(q, k, v, null);
                assertTrue(org.vco4j.tensor.Autocast.isEnabled(q.device()), "the region is open again after attention");
            }
            assertEquals(ScalarType.Float.value, mixed.scalar_type().value, "autocast would have run it in bfloat16");
            assertArrayEquals(Tensors.toFloatArray(plain), Tensors.toFloatArray(mixed));
        }
    }
}
