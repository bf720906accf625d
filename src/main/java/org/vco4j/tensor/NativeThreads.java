package org.vco4j.tensor;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One thread pool for the native kernels. libtorch parallelises with OpenMP; the OpenBLAS bundled with it (a
 * pthreads build) would start a pool of its own inside every matrix product, and on a few cores the two pools fight:
 * a small model trains up to twenty times slower (measured: 20.7 against 438 samples/s for the demo's base on 2
 * cores). So the bundled OpenBLAS runs on one thread, and the matrix products on one core while the rest of the
 * step has all of them.
 *
 * <p>An OpenBLAS built with OpenMP has no pool of its own: it runs on libtorch's (the same libgomp), on all its
 * threads, and single-threaded inside libtorch's parallel regions. Where the system has one (Debian and Ubuntu:
 * package {@code libopenblas0-openmp}; Fedora: {@code openblas-openmp}), {@link #configure} loads it before libtorch
 * so that libtorch's matrix products bind to it: on 2 cores the small LLaVA-shaped model trains 1.4–1.7× faster
 * (docs/performance.md, "Threads"). {@code VCO_OPENBLAS} chooses: a path to such a library, or {@code bundled}.
 */
public final class NativeThreads {
    /** The environment variable that chooses the OpenBLAS: a path to an OpenMP build, or {@code bundled}. */
    public static final String CHOICE = "VCO_OPENBLAS";

    /** Where distributions install their OpenMP builds of OpenBLAS. */
    static final List<Path> SYSTEM_OPENMP_OPENBLAS = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0"), // Debian, Ubuntu: libopenblas0-openmp
            Path.of("/usr/lib/aarch64-linux-gnu/openblas-openmp/libopenblas.so.0"),
            Path.of("/usr/lib64/libopenblaso.so.0")); // Fedora, RHEL: openblas-openmp

    private static volatile Path openMpInForce = null;
    private static volatile String openMpCap = null;

    private NativeThreads() {}

    /**
     * Chooses the OpenBLAS libtorch's matrix products run on and its threads; call before anything loads libtorch.
     *
     * @return what is in force, as {@link #describe} says it
     * @throws IllegalArgumentException when {@value #CHOICE} names a file that is missing or cannot be loaded
     */
    public static String configure() {
        return configure(System.getenv(CHOICE), System.getenv("OPENBLAS_NUM_THREADS"), SYSTEM_OPENMP_OPENBLAS);
    }

    /**
     * @param choice     the value of {@value #CHOICE}: null (an installed OpenMP build if any, else the bundled one),
     *                   {@code bundled}, or a path
     * @param threads    the value of {@code OPENBLAS_NUM_THREADS}, null when unset
     * @param candidates where to look for an installed OpenMP build
     */
    static String configure(String choice, String threads, List<Path> candidates) {
        boolean chosen = choice != null && !choice.isBlank();
        Path openMp = null;
        if (!chosen) {
            openMp = candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        } else if (!choice.equals("bundled")) {
            openMp = Path.of(choice);
            if (!Files.isRegularFile(openMp))
                throw new IllegalArgumentException(CHOICE + "=" + choice + ": no such file (a path to an OpenMP build of OpenBLAS, or 'bundled')");
        }
        if (openMp != null) {
            try {
                // Global, so that libtorch's references resolve to it before the bundled library.
                Loader.loadGlobal(openMp.toAbsolutePath().toString());
                Path loaded = openMp.toRealPath();
                Path bound = libraryOf("sgemm_");
                if (loaded.equals(bound)) openMpInForce = loaded;
                else if (chosen) throw new IllegalArgumentException(CHOICE + "=" + choice + ": loaded, but matrix products still bind to "
                        + bound + " (was it loaded after libtorch?)");
                else System.err.println("note: " + openMp + " loaded, but matrix products bind to " + bound + "; using the bundled OpenBLAS");
            } catch (UnsatisfiedLinkError | IOException e) {
                if (chosen) throw new IllegalArgumentException(CHOICE + "=" + choice + ": cannot be loaded (" + e.getMessage() + ")");
                System.err.println("note: " + openMp + " cannot be loaded (" + e.getMessage() + "); using the bundled OpenBLAS");
            }
        }
        // The bundled build's own pool stays unused; an OpenMP build follows libtorch's thread count by itself, up to
        // OPENBLAS_NUM_THREADS where that is set.
        openMpCap = threads;
        if (openMpInForce == null && threads == null) openblas_nolapack.blas_set_num_threads(1);
        return describe();
    }

    /** The OpenBLAS libtorch's matrix products run on and its threads, in one line. */
    public static String describe() {
        if (openMpInForce != null) return "OpenBLAS " + openMpInForce + " (OpenMP build): libtorch's threads"
                + (openMpCap == null ? "" : ", at most OPENBLAS_NUM_THREADS=" + openMpCap);
        int threads = openblas_nolapack.blas_get_num_threads();
        return "bundled OpenBLAS (pthreads build): " + threads + " thread" + (threads == 1 ? "" : "s") + " of its own";
    }

    /** The library file the process's global symbol lookup finds {@code symbol} in (from /proc/self/maps), or null. */
    static Path libraryOf(String symbol) {
        Pointer address = Loader.addressof(symbol);
        if (address == null || address.address() == 0) return null;
        long at = address.address();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length < 6 || !fields[5].startsWith("/")) continue;
                String[] range = fields[0].split("-");
                if (Long.compareUnsigned(at, Long.parseUnsignedLong(range[0], 16)) >= 0
                        && Long.compareUnsigned(at, Long.parseUnsignedLong(range[1], 16)) < 0) return Path.of(fields[5]);
            }
        } catch (IOException e) {
            return null; // not Linux: unknown
        }
        return null;
    }
}
