package org.vco4j.tensor;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AutocastTest {
    private static final Device CPU = new Device(torch.DeviceType.CPU);

    @Test
    void productsRunInTheRegionsDtypeAndGradientsReachFloat32Weights() {
        Tensor weight = torch.randn(8, 4).requires_grad_(true);
        Tensor input = torch.randn(3, 4);
        Tensor out;
        try (Autocast region = Autocast.region(CPU, ScalarType.BFloat16)) {
            assertTrue(Autocast.isEnabled(CPU));
            out = torch.linear(input, weight);
            assertEquals(ScalarType.BFloat16.value, out.scalar_type().value);
        }
        assertFalse(Autocast.isEnabled(CPU), "closing the region restores the state before it");
        out.to(ScalarType.Float).sum().backward();
        assertEquals(ScalarType.Float.value, weight.grad().scalar_type().value);
        assertEquals(ScalarType.Float.value, torch.linear(input, weight).scalar_type().value, "outside the region: float32 again");
    }

    @Test
    void anEmptyRegionChangesNothingAndRegionsNest() {
        try (Autocast none = Autocast.region(CPU, null)) {
            assertFalse(Autocast.isEnabled(CPU));
        }
        try (Autocast outer = Autocast.region(CPU, ScalarType.BFloat16)) {
            try (Autocast inner = Autocast.region(CPU, ScalarType.BFloat16)) {
                assertTrue(Autocast.isEnabled(CPU));
            }
            assertTrue(Autocast.isEnabled(CPU), "the outer region is still open");
        }
        assertFalse(Autocast.isEnabled(CPU));
    }
}
