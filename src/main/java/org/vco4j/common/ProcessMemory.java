package org.vco4j.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory as Linux reports it in {@code /proc/self/status}; -1 where that file is absent. */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** Resident set size now (VmRSS), in bytes. */
    public static long residentBytes() {
        return field("VmRSS:");
    }

    /** The largest resident set size so far (VmHWM), in bytes. */
    public static long peakResidentBytes() {
        return field("VmHWM:");
    }

    /**
     * Starts a new peak: {@link #peakResidentBytes} then reports the largest resident size from now on (Linux's
     * {@code clear_refs} with value 5). Returns false where that is not possible; the peak then stays the process's.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * Hands the native memory freed so far back to the system, so that a new peak ({@link #resetPeak}) measures what
     * comes next and not pages kept from before: jemalloc's {@code arena.<all>.purge} when jemalloc serves the process
     * ({@code ./vco} tells it never to return freed pages by itself), glibc's {@code malloc_trim} otherwise. Returns
     * false when jemalloc refused.
     */
    public static boolean releaseFreedPages() {
        if (!allocator().startsWith("jemalloc")) {
            org.bytedeco.javacpp.Pointer.trimMemory();
            return true;
        }
        // mallctl(name, oldp, oldlenp, newp, newlen); MALLCTL_ARENAS_ALL = 4096 names every arena (jemalloc 5).
        com.sun.jna.Function mallctl = com.sun.jna.NativeLibrary.getProcess().getFunction("mallctl");
        return mallctl.invokeInt(new Object[] {"arena.4096.purge", null, null, null, 0L}) == 0;
    }

    private static long field(String name) {
        if (!Files.isReadable(STATUS)) return -1;
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The C allocator serving native memory: jemalloc or tcmalloc when one is loaded ({@code ./vco} preloads an installed
     * jemalloc; docs/performance.md, "Memory"), with jemalloc's {@code MALLOC_CONF}; else glibc's malloc.
     */
    public static String allocator() {
        String maps;
        try {
            maps = Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException e) {
            return "the system's malloc";
        }
        if (maps.contains("/libjemalloc")) {
            String conf = System.getenv("MALLOC_CONF");
            return "jemalloc" + (conf == null ? "" : " (MALLOC_CONF=" + conf + ")");
        }
        if (maps.contains("/libtcmalloc")) return "tcmalloc";
        return "glibc malloc";
    }
}
