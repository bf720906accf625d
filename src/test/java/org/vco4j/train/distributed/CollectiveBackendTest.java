package org.vco4j.train.distributed;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CollectiveBackendTest {
    private static final String MISSING = "the nccl backend is not available in this build";

    @Test
    void parsesNames() {
        assertEquals(CollectiveBackend.GLOO, CollectiveBackend.parse("Gloo"));
        assertEquals(CollectiveBackend.NCCL, CollectiveBackend.parse("nccl"));
        assertEquals(CollectiveBackend.AUTO, CollectiveBackend.parse(" auto "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CollectiveBackend.parse("mpi"));
        assertTrue(e.getMessage().contains("expected auto, gloo or nccl"), e.getMessage());
    }

    @Test
    void cpuTensorsGoOverGloo() {
        Device cpu = new Device(torch.DeviceType.CPU);
        assertEquals(CollectiveBackend.GLOO, CollectiveBackend.AUTO.resolve(cpu));
        assertEquals(CollectiveBackend.GLOO, CollectiveBackend.GLOO.resolve(cpu));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CollectiveBackend.NCCL.resolve(cpu));
        assertTrue(e.getMessage().contains("CUDA tensors only"), e.getMessage());
    }

    @Test
    void cudaPicksNcclAndNeverFallsBackSilently() {
        assertEquals(CollectiveBackend.NCCL, CollectiveBackend.AUTO.resolve(true, () -> null));
        assertEquals(CollectiveBackend.NCCL, CollectiveBackend.NCCL.resolve(true, () -> null));
        assertEquals(CollectiveBackend.GLOO, CollectiveBackend.GLOO.resolve(true, () -> MISSING));
        IllegalArgumentException auto = assertThrows(IllegalArgumentException.class,
                () -> CollectiveBackend.AUTO.resolve(true, () -> MISSING));
        assertTrue(auto.getMessage().startsWith(MISSING) && auto.getMessage().contains("choose the gloo backend explicitly"),
                auto.getMessage());
        IllegalArgumentException nccl = assertThrows(IllegalArgumentException.class,
                () -> CollectiveBackend.NCCL.resolve(true, () -> MISSING));
        assertTrue(nccl.getMessage().contains("or choose the gloo backend explicitly"), nccl.getMessage());
    }

    @Test
    void theCpuBuildSaysNcclNeedsTheGpuBuild() {
        String reason = NcclBackends.unavailableReason();
        if (System.getProperty("java.class.path").contains("linux-x86_64-gpu")) return; // the gpu build may have NCCL
        assertNotNull(reason, "NCCL loaded in the CPU build");
        assertTrue(reason.contains("needs the gpu build ('mvn -Pgpu'"), reason);
    }
}
