package org.vco4j.tensor.safetensors;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a file region as soon as it has been copied, instead of whenever the garbage collector gets
 * to it: a checkpoint of many gigabytes would otherwise stay mapped (and counted in the process's
 * resident memory) long after loading.
 *
 * <p>Java 17 has no public unmap; {@code sun.misc.Unsafe.invokeCleaner} from the {@code jdk.unsupported}
 * module is the sanctioned escape hatch. Where it is unavailable, regions are left to the collector.
 */
final class MappedBuffers {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            invokeCleaner = type.getMethod("invokeCleaner", java.nio.ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            invokeCleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    private MappedBuffers() {}

    /** Unmaps {@code buffer}; the caller guarantees nothing reads it afterwards. */
    static void unmap(MappedByteBuffer buffer) {
        if (INVOKE_CLEANER == null) return;
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Unmapping is an optimisation; the collector will still release the region.
        }
    }
}
