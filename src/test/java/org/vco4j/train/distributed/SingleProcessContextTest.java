package org.vco4j.train.distributed;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.tensor.Tensors;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** World size one: the trainer's code runs unchanged and nothing is reduced. */
class SingleProcessContextTest {
    @Test
    void aWorldOfOneNeedsNoRendezvous() {
        DistributedEnvironment one = new DistributedEnvironment(1, 0, 0, null, 0);
        try (DistributedContext context = DistributedContext.create(one, new Device(torch.DeviceType.CPU), DistributedOptions.defaults())) {
            assertEquals(0, context.rank());
            assertEquals(1, context.worldSize());
            assertTrue(context.isMain());
            assertFalse(context.isDistributed());
            assertEquals("none", context.backendName());
        }
    }

    @Test
    void collectivesLeaveTensorsAsTheyAre() {
        try (DistributedContext context = DistributedContext.single(); PointerScope scope = new PointerScope()) {
            Tensor a = Tensors.floats(1, 2, 3);
            Tensor b = Tensors.longs(4, 5);
            context.allReduceMean(List.of(a));
            context.allReduceSum(b);
            context.broadcast(List.of(a, b), 0);
            context.barrier();
            assertArrayEquals(new float[] {1, 2, 3}, Tensors.toFloatArray(a));
            assertArrayEquals(new long[] {4, 5}, Tensors.toLongArray(b));

            Tensor parameter = Tensors.floats(1, 1).requires_grad_(true);
            context.allReduceGradients(List.of(parameter));
            assertFalse(parameter.grad().defined(), "a parameter without gradient must not get one in a single process");
        }
    }

    @Test
    void misuseIsReportedEvenWithoutPeers() {
        try (DistributedContext context = DistributedContext.single(); PointerScope scope = new PointerScope()) {
            IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
                    () -> context.broadcast(List.of(Tensors.floats(1)), 1));
            assertTrue(root.getMessage().contains("root 1 is outside 0..0"), root.getMessage());
            IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class,
                    () -> context.allReduceMean(List.of(Tensors.floats(1), new Tensor())));
            assertTrue(undefined.getMessage().contains("tensor 1 is undefined") && undefined.getMessage().contains("allReduceGradients"),
                    undefined.getMessage());
            IllegalArgumentException integer = assertThrows(IllegalArgumentException.class,
                    () -> context.allReduceMean(List.of(Tensors.longs(1))));
            assertTrue(integer.getMessage().contains("not floating point"), integer.getMessage());
        }
    }
}
