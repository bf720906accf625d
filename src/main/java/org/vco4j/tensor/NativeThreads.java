package org.vco4j.tensor;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * One thread pool for the native kernels. libtorch parallelises with OpenMP, and the OpenBLAS it calls for matrix
 * products would start a pool of its own inside every product; on a few cores the two pools fight and a small
 * model trains up to twenty times slower (measured: 20.7 against 438 samples/s for the demo's base on 2 cores).
 * OpenBLAS reads {@code OPENBLAS_NUM_THREADS} once, when it loads; a process started without it (as
 * {@code java -jar vco4j.jar}, not through the {@code vco} script, which sets it) gets the single-threaded
 * OpenBLAS here instead.
 */
public final class NativeThreads {
    private NativeThreads() {}

    /** Limits OpenBLAS to one thread unless {@code OPENBLAS_NUM_THREADS} chose otherwise; returns the count in force. */
    public static int limitOpenBlas() {
        return limitOpenBlas(System.getenv("OPENBLAS_NUM_THREADS"));
    }

    /** @param chosen the value of {@code OPENBLAS_NUM_THREADS}, null when unset (OpenBLAS has then started its own pool) */
    static int limitOpenBlas(String chosen) {
        if (chosen == null) openblas_nolapack.blas_set_num_threads(1);
        return openblas_nolapack.blas_get_num_threads();
    }
}
