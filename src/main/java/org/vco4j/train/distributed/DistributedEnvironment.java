package org.vco4j.train.distributed;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where this process stands in a data-parallel run, as torchrun describes it with environment variables:
 * {@code WORLD_SIZE}, {@code RANK}, {@code LOCAL_RANK}, {@code MASTER_ADDR} and {@code MASTER_PORT}.
 *
 * <p>Without {@code WORLD_SIZE} (or with {@code WORLD_SIZE=1}) the run is a single process and the other
 * variables are not needed. With more ranks, {@code RANK}, {@code MASTER_ADDR} and {@code MASTER_PORT} are
 * required; {@code LOCAL_RANK} defaults to {@code RANK} (one machine).
 *
 * @param worldSize  number of processes in the run
 * @param rank       this process's rank, {@code 0 ≤ rank < worldSize}
 * @param localRank  this process's rank on its machine (selects the GPU)
 * @param masterAddr host of the rendezvous server (rank 0); null for a single process
 * @param masterPort port of the rendezvous server; 0 for a single process
 */
public record DistributedEnvironment(int worldSize, int rank, int localRank, String masterAddr, int masterPort) {
    public static final String WORLD_SIZE = "WORLD_SIZE";
    public static final String RANK = "RANK";
    public static final String LOCAL_RANK = "LOCAL_RANK";
    public static final String MASTER_ADDR = "MASTER_ADDR";
    public static final String MASTER_PORT = "MASTER_PORT";

    public DistributedEnvironment {
        if (worldSize < 1) throw new IllegalArgumentException(WORLD_SIZE + "=" + worldSize + ": must be at least 1");
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException(RANK + "=" + rank + " is outside 0.." + (worldSize - 1) + " (" + WORLD_SIZE + "="
                    + worldSize + ")");
        }
        if (localRank < 0) throw new IllegalArgumentException(LOCAL_RANK + "=" + localRank + ": must not be negative");
        if (worldSize > 1) {
            if (masterAddr == null || masterAddr.isBlank()) {
                throw new IllegalArgumentException(MASTER_ADDR + " is required when " + WORLD_SIZE + "=" + worldSize);
            }
            if (masterPort < 1 || masterPort > 65535) {
                throw new IllegalArgumentException(MASTER_PORT + "=" + masterPort + " is not a TCP port (1..65535)");
            }
        }
    }

    /** One process, rank 0 of 1. */
    public static DistributedEnvironment single() {
        return new DistributedEnvironment(1, 0, 0, null, 0);
    }

    /** Reads this process's environment variables. */
    public static DistributedEnvironment fromSystem() {
        return from(System.getenv());
    }

    /** Reads the torchrun variables from {@code env}; errors name the variable and its value. */
    public static DistributedEnvironment from(Map<String, String> env) {
        String worldSize = env.get(WORLD_SIZE);
        if (worldSize == null) {
            if (env.get(RANK) != null && !env.get(RANK).trim().equals("0")) {
                throw new IllegalArgumentException(RANK + "=" + env.get(RANK) + " is set but " + WORLD_SIZE
                        + " is not: set both (a torchrun-style launch sets " + WORLD_SIZE + ", " + RANK + ", " + LOCAL_RANK + ", "
                        + MASTER_ADDR + " and " + MASTER_PORT + ")");
            }
            return single();
        }
        int world = integer(env, WORLD_SIZE);
        if (world == 1) {
            int rank = env.get(RANK) == null ? 0 : integer(env, RANK);
            return new DistributedEnvironment(1, rank, 0, null, 0);
        }
        for (String required : new String[] {RANK, MASTER_ADDR, MASTER_PORT}) {
            if (env.get(required) == null || env.get(required).isBlank()) {
                throw new IllegalArgumentException(WORLD_SIZE + "=" + world + " but " + required + " is not set (a torchrun-style "
                        + "launch sets " + WORLD_SIZE + ", " + RANK + ", " + LOCAL_RANK + ", " + MASTER_ADDR + " and " + MASTER_PORT + ")");
            }
        }
        int rank = integer(env, RANK);
        int localRank = env.get(LOCAL_RANK) == null ? rank : integer(env, LOCAL_RANK);
        return new DistributedEnvironment(world, rank, localRank, env.get(MASTER_ADDR).trim(), integer(env, MASTER_PORT));
    }

    /** True when more than one process takes part. */
    public boolean isDistributed() {
        return worldSize > 1;
    }

    /** {@code MASTER_ADDR:MASTER_PORT}, as errors quote it. */
    public String masterEndpoint() {
        if (masterAddr == null) return "(none: single process)";
        return (masterAddr.contains(":") ? "[" + masterAddr + "]" : masterAddr) + ":" + masterPort;
    }

    /**
     * True when the rendezvous host is this machine's loopback address, so every rank runs here and the
     * collectives can stay on loopback too. Judged from the literal text: no name is looked up.
     */
    public boolean masterIsLoopback() {
        if (masterAddr == null) return true;
        String a = masterAddr.toLowerCase(Locale.ROOT);
        return a.equals("localhost") || a.startsWith("127.") || a.equals("::1") || a.equals("[::1]");
    }

    /** The variables that describe this environment, as a launcher passes them to a child process. */
    public Map<String, String> variables() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(WORLD_SIZE, Integer.toString(worldSize));
        out.put(RANK, Integer.toString(rank));
        out.put(LOCAL_RANK, Integer.toString(localRank));
        if (masterAddr != null) {
            out.put(MASTER_ADDR, masterAddr);
            out.put(MASTER_PORT, Integer.toString(masterPort));
        }
        return out;
    }

    private static int integer(Map<String, String> env, String name) {
        String value = env.get(name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + "=" + value + " is not an integer", e);
        }
    }
}
