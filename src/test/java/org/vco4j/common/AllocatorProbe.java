package org.vco4j.common;

/** Child-JVM side of {@link ProcessMemoryTest}: prints the allocator this process's native memory comes from. */
public final class AllocatorProbe {
    public static void main(String[] args) {
        System.out.println(ProcessMemory.allocator());
    }
}
