package org.vco4j.common;

import org.bytedeco.javacpp.Pointer;

/**
 * Child-JVM side of {@link ProcessMemoryTest}: prints the allocator this process's native memory comes from; with
 * {@code release}, also the resident memory (MB) once 256 MB of malloc'ed and touched native memory is freed, and
 * again after {@link ProcessMemory#releaseFreedPages}.
 */
public final class AllocatorProbe {
    public static void main(String[] args) {
        System.out.println(ProcessMemory.allocator());
        if (args.length > 0 && args[0].equals("release")) {
            long bytes = 256L << 20;
            Pointer block = Pointer.malloc(bytes);
            Pointer.memset(block, 1, bytes);
            Pointer.free(block);
            System.out.println(ProcessMemory.residentBytes() >> 20);
            if (!ProcessMemory.releaseFreedPages()) throw new IllegalStateException("the allocator refused to release");
            System.out.println(ProcessMemory.residentBytes() >> 20);
        }
    }
}
