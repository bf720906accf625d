package org.vco4j.model;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How much host memory a model may take: the smaller of the kernel's estimate of memory available without
 * swapping ({@code MemAvailable} in /proc/meminfo) and what the process's cgroup (Slurm job, container) still
 * allows. Falls back to the JVM's view of free physical memory where neither can be read.
 */
public final class MemoryBudget {
    private MemoryBudget() {}

    /** Bytes available and where the number came from (for messages). */
    public record Available(long bytes, String source) {}

    /** The memory available now. */
    public static Available available() {
        Available best = null;
        Long meminfo = memAvailable();
        if (meminfo != null) best = new Available(meminfo, "MemAvailable in /proc/meminfo");
        Available cgroup = cgroupRemaining();
        if (cgroup != null && (best == null || cgroup.bytes() < best.bytes())) best = cgroup;
        if (best != null) return best;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return new Available(os.getFreeMemorySize(), "free physical memory reported by the JVM");
        }
        return new Available(Long.MAX_VALUE, "unknown");
    }

    /**
     * Refuses a model whose parameters cannot fit.
     *
     * @throws ModelLoadException with the parameter count, the bytes at {@code dtypeName} and the memory available
     */
    public static void require(String what, long parameters, long bytes, String dtypeName, Available available) {
        if (bytes <= available.bytes()) return;
        String halfPrecision = bytes > 2 * parameters ? " (a 2-byte dtype such as bfloat16 would need " + gib(2 * parameters) + ")" : "";
        throw new ModelLoadException(String.format(Locale.ROOT,
                "%s: the model has %,d parameters, %s at %s, but only %s of memory is available (%s)%s; "
                        + "check config.json, or load on a machine or in a job with more memory",
                what, parameters, gib(bytes), dtypeName, gib(available.bytes()), available.source(), halfPrecision));
    }

    /** Bytes as GiB (MiB below one GiB, KiB below one MiB), for messages. */
    public static String gib(long bytes) {
        if (bytes < (1L << 20)) return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        if (bytes < (1L << 30)) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    private static Long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static Available cgroupRemaining() {
        // cgroup v2, then v1.
        Long limit = readLimit(Path.of("/sys/fs/cgroup/memory.max"));
        Long used = readLimit(Path.of("/sys/fs/cgroup/memory.current"));
        String source = "cgroup memory.max - memory.current";
        if (limit == null) {
            limit = readLimit(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
            used = readLimit(Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
            source = "cgroup memory.limit_in_bytes - memory.usage_in_bytes";
        }
        // v1 reports "no limit" as a huge number.
        if (limit == null || limit >= (1L << 60)) return null;
        return new Available(Math.max(0, limit - (used == null ? 0 : used)), source);
    }

    private static Long readLimit(Path file) {
        try {
            String text = Files.readString(file).trim();
            if (text.equals("max")) return null;
            return Long.parseLong(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
