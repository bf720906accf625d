package org.vco4j.train.distributed;

import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.nccl.ProcessGroupNCCL;

import java.time.Duration;

/**
 * Builds NCCL process groups. Kept apart so that the NCCL classes are only loaded when asked for: the
 * Java classes ship in every build of the bindings, but their natives (and the CUDA presets they need) only
 * in the gpu build, and loading them elsewhere fails.
 */
final class NcclBackends {
    private static final String CLASS_NAME = "org.bytedeco.pytorch.nccl.ProcessGroupNCCL";
    private static String unavailable;
    private static boolean probed;

    private NcclBackends() {}

    /** Why NCCL cannot be used in this JVM, or null when it can. Probed once. */
    static synchronized String unavailableReason() {
        if (!probed) {
            probed = true;
            try {
                Class.forName(CLASS_NAME, true, NcclBackends.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                Throwable root = e;
                while (root.getCause() != null) root = root.getCause();
                unavailable = "the nccl backend is not available in this build of libtorch (" + root + "): it needs the gpu "
                        + "build ('mvn -Pgpu', with CUDA and NCCL installed on the machine)";
            }
        }
        return unavailable;
    }

    /** A NCCL process group over {@code store}; the caller has checked {@link #unavailableReason()}. */
    static Backend create(Store store, int rank, int worldSize, Duration timeout) {
        ProcessGroupNCCL.Options options = ProcessGroupNCCL.Options.create();
        options.timeout(new Milliseconds(timeout.toMillis()));
        return new ProcessGroupNCCL(store, rank, worldSize, options);
    }
}
