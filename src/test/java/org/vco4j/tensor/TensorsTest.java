package org.vco4j.tensor;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TensorsTest {
    @Test
    void roundTripsFloatsAndLongs() {
        try (PointerScope scope = new PointerScope()) {
            Tensor t = Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new long[] {2, 3}, Tensors.shape(t));
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Tensors.toFloatArray(t));
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Tensors.toFloatArray(t.transpose(0, 1)));
            assertArrayEquals(new long[] {7, -1}, Tensors.toLongArray(Tensors.longs(7, -1)));
            assertEquals(0.1, Tensors.doubles(0.1, 2).select(0, 0).item_double(), 0);
            assertEquals(2.5, Tensors.item(Tensors.scalar(2.5)), 0);
            assertEquals(2.0, Tensors.item(Tensors.cat(List.of(Tensors.floats(1), Tensors.floats(1)), 0).sum()), 0);
        }
    }

    @Test
    void autogradFlowsThroughSoftplus() {
        try (PointerScope scope = new PointerScope()) {
            Tensor z = Tensors.floats(0f).requires_grad_(true);
            Tensor loss = torch.softplus(z.neg()).sum();
            loss.backward();
            assertEquals(Math.log(2), Tensors.item(loss), 1e-6);
            assertEquals(-0.5, Tensors.toFloatArray(z.grad())[0], 1e-6);
        }
    }

    @Test
    void freeingIntermediatesReleasesAllButTheResultAndKeepsTheGraph() {
        try (PointerScope scope = new PointerScope()) {
            Tensor x = Tensors.floats(1f, 2f).requires_grad_(true);
            Tensor[] intermediate = new Tensor[1];
            Tensor y = Tensors.freeingIntermediates(() -> {
                intermediate[0] = x.mul(new org.bytedeco.pytorch.Scalar(3.0));
                return intermediate[0].exp();
            });
            assertTrue(intermediate[0].isNull(), "the intermediate's handle is released when the body returns");
            assertFalse(y.isNull(), "the result lives on in the enclosing scope");
            y.sum().backward(); // autograd kept what it needs: d/dx exp(3x) = 3 exp(3x)
            assertArrayEquals(new float[] {(float) (3 * Math.exp(3)), (float) (3 * Math.exp(6))}, Tensors.toFloatArray(x.grad()), 1e-2f);
        }
    }

    @Test
    void rejectsShapeMismatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensors.floats(new float[3], 2, 2));
        assertTrue(e.getMessage().contains("[2, 2]"));
    }

    @Test
    void uploadOnTheCpuKeepsTheValuesInTheAskedType() {
        try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
            org.bytedeco.pytorch.Tensor up = Tensors.upload(Tensors.longs(new long[] {1, 0, 3, 4}, 2, 2),
                    new org.bytedeco.pytorch.Device(org.bytedeco.pytorch.global.torch.DeviceType.CPU),
                    org.bytedeco.pytorch.global.torch.ScalarType.Float);
            assertEquals(org.bytedeco.pytorch.global.torch.ScalarType.Float.value, up.scalar_type().value);
            assertArrayEquals(new long[] {2, 2}, Tensors.shape(up));
            assertArrayEquals(new float[] {1, 0, 3, 4}, Tensors.toFloatArray(up));
        }
    }
}
