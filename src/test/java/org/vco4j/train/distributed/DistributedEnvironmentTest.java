package org.vco4j.train.distributed;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DistributedEnvironmentTest {
    @Test
    void noVariablesMeanOneProcess() {
        DistributedEnvironment env = DistributedEnvironment.from(Map.of("PATH", "/bin"));
        assertEquals(DistributedEnvironment.single(), env);
        assertFalse(env.isDistributed());
        assertEquals(DistributedEnvironment.single(), DistributedEnvironment.from(Map.of("WORLD_SIZE", "1", "RANK", "0")));
    }

    @Test
    void readsTorchrunVariables() {
        DistributedEnvironment env = DistributedEnvironment.from(Map.of("WORLD_SIZE", "4", "RANK", "3", "LOCAL_RANK", "1",
                "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "45000"));
        assertEquals(new DistributedEnvironment(4, 3, 1, "127.0.0.1", 45000), env);
        assertTrue(env.isDistributed());
        assertEquals("127.0.0.1:45000", env.masterEndpoint());
        assertEquals(env, DistributedEnvironment.from(env.variables()));
        // one machine: LOCAL_RANK defaults to RANK
        assertEquals(2, DistributedEnvironment.from(Map.of("WORLD_SIZE", "3", "RANK", "2", "MASTER_ADDR", "localhost",
                "MASTER_PORT", "1234")).localRank());
    }

    @Test
    void errorsNameTheVariable() {
        assertMessage("MASTER_PORT is not set", Map.of("WORLD_SIZE", "2", "RANK", "0", "MASTER_ADDR", "127.0.0.1"));
        assertMessage("RANK is not set", Map.of("WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "1"));
        assertMessage("environment variable WORLD_SIZE=two is not an integer", Map.of("WORLD_SIZE", "two"));
        assertMessage("RANK=2 is outside 0..1 (WORLD_SIZE=2)",
                Map.of("WORLD_SIZE", "2", "RANK", "2", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "29500"));
        assertMessage("MASTER_PORT=70000 is not a TCP port",
                Map.of("WORLD_SIZE", "2", "RANK", "1", "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "70000"));
        assertMessage("RANK=1 is set but WORLD_SIZE is not", Map.of("RANK", "1"));
        assertMessage("RANK=1 is outside 0..0", Map.of("WORLD_SIZE", "1", "RANK", "1"));
    }

    @Test
    void loopbackIsJudgedFromTheTextAlone() {
        assertTrue(new DistributedEnvironment(2, 0, 0, "127.0.0.1", 1).masterIsLoopback());
        assertTrue(new DistributedEnvironment(2, 0, 0, "localhost", 1).masterIsLoopback());
        assertTrue(new DistributedEnvironment(2, 0, 0, "::1", 1).masterIsLoopback());
        assertFalse(new DistributedEnvironment(2, 0, 0, "10.1.2.3", 1).masterIsLoopback());
        assertFalse(new DistributedEnvironment(2, 0, 0, "node-0", 1).masterIsLoopback());
        assertEquals("[::1]:29500", new DistributedEnvironment(2, 0, 0, "::1", 29500).masterEndpoint());
    }

    private static void assertMessage(String expected, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistributedEnvironment.from(env));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
