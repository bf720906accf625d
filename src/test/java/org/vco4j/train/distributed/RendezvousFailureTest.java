package org.vco4j.train.distributed;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** A rendezvous that cannot complete fails within its timeout and says where it tried to meet. */
class RendezvousFailureTest {
    private static final DistributedOptions ONE_SECOND = DistributedOptions.defaults().withRendezvousTimeout(Duration.ofSeconds(1));

    @Test
    void aRankThatCannotReachRankZeroNamesTheAddress() {
        int port = LocalLauncher.freeLoopbackPort();
        DistributedEnvironment env = new DistributedEnvironment(2, 1, 1, "127.0.0.1", port);
        long start = System.nanoTime();
        DistributedException e = assertThrows(DistributedException.class,
                () -> DistributedContext.create(env, new Device(torch.DeviceType.CPU), ONE_SECOND));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("rank 1 of 2 could not reach the rendezvous at MASTER_ADDR:MASTER_PORT = 127.0.0.1:" + port
                + " within 1 s"), e.getMessage());
        assertFalse(e.getMessage().contains("frame #"), "the C++ stack belongs in the cause: " + e.getMessage());
        // libtorch retries the connection once after a back-off, so a 1 s timeout takes a few seconds
        assertTrue(seconds < 15, "took " + seconds + " s");
    }

    @Test
    void rankZeroAloneReportsHowManyRanksArrived() {
        int port = LocalLauncher.freeLoopbackPort();
        DistributedEnvironment env = new DistributedEnvironment(3, 0, 0, "127.0.0.1", port);
        long start = System.nanoTime();
        DistributedException e = assertThrows(DistributedException.class,
                () -> DistributedContext.create(env, new Device(torch.DeviceType.CPU), ONE_SECOND));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.getMessage().contains("rank 0 of 3: only 1 of 3 ranks reached the rendezvous at MASTER_ADDR:MASTER_PORT = 127.0.0.1:"
                + port + " within 1 s"), e.getMessage());
        assertTrue(seconds < 15, "took " + seconds + " s");
    }

    @Test
    void rankZeroCannotServeOnAPortInUse() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DistributedEnvironment env = new DistributedEnvironment(2, 0, 0, "127.0.0.1", taken.getLocalPort());
            DistributedException e = assertThrows(DistributedException.class,
                    () -> DistributedContext.create(env, new Device(torch.DeviceType.CPU), ONE_SECOND));
            assertTrue(e.getMessage().contains("rank 0 of 2 could not serve the rendezvous on MASTER_ADDR:MASTER_PORT = 127.0.0.1:"
                    + taken.getLocalPort()), e.getMessage());
        }
    }
}
