package org.vco4j.train.optim;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.vco4j.tensor.Tensors;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class GradientClippingTest {
    /** A parameter whose gradient is {@code grad}. */
    private static Tensor withGradient(float... grad) {
        Tensor p = Tensors.floats(new float[grad.length]).requires_grad_(true);
        try (PointerScope scope = new PointerScope()) {
            p.mul(Tensors.floats(grad)).sum().backward();
        }
        return p;
    }

    @Test
    void scalesToTheMaximumNorm() {
        Tensor a = withGradient(3f, 0f);
        Tensor b = withGradient(0f, 4f, 0f);
        Tensor noGrad = Tensors.floats(1f).requires_grad_(true);
        double norm = GradientClipping.clipGlobalNorm(List.of(a, b, noGrad), 1.0);
        assertEquals(5.0, norm, 1e-6);
        double scale = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * scale), 0f}, Tensors.toFloatArray(a.grad()), 1e-7f);
        assertArrayEquals(new float[] {0f, (float) (4 * scale), 0f}, Tensors.toFloatArray(b.grad()), 1e-7f);
        assertEquals(1.0, GradientClipping.globalNorm(List.of(a, b)), 1e-6);
    }

    @Test
    void leavesSmallGradientsAlone() {
        Tensor a = withGradient(0.3f, -0.4f);
        assertEquals(0.5, GradientClipping.clipGlobalNorm(List.of(a), 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, -0.4f}, Tensors.toFloatArray(a.grad()), 0f);
        assertEquals(0.0, GradientClipping.clipGlobalNorm(List.of(Tensors.floats(1f)), 1.0), 0);
    }

    @Test
    void reportsNonFiniteNormsWithoutTouchingGradients() {
        Tensor a = withGradient(Float.NaN, 1f);
        Tensor b = withGradient(2f);
        assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(List.of(a, b), 1.0)));
        assertArrayEquals(new float[] {2f}, Tensors.toFloatArray(b.grad()), 0f);
        Tensor c = withGradient(Float.POSITIVE_INFINITY);
        assertEquals(Double.POSITIVE_INFINITY, GradientClipping.clipGlobalNorm(List.of(b, c), 1.0));
        assertArrayEquals(new float[] {2f}, Tensors.toFloatArray(b.grad()), 0f);
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipGlobalNorm(List.of(b), 0));
    }
}
