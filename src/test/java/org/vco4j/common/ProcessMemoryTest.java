package org.vco4j.common;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The allocator {@code vco bench train} reports is the one loaded: glibc's in a plain JVM, jemalloc with its settings in
 * a JVM started as {@code ./vco} starts one where jemalloc is installed. {@code VCO_JEMALLOC=required} (set by CI after
 * installing it) turns its absence into a failure instead of a skip.
 */
class ProcessMemoryTest {
    static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    @Test
    void aPlainJvmRunsOnGlibcMalloc() throws Exception {
        assertEquals("glibc malloc", probe(null));
    }

    @Test
    void aPreloadedJemallocIsNamedWithItsSettings() throws Exception {
        if ("required".equals(System.getenv("VCO_JEMALLOC"))) assertTrue(Files.isRegularFile(JEMALLOC), "no " + JEMALLOC);
        assumeTrue(Files.isRegularFile(JEMALLOC), "jemalloc is not installed");
        assertEquals("jemalloc (MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1)", probe(JEMALLOC));
    }

    @Test
    void freedPagesThatJemallocKeepsGoBackWhenAsked() throws Exception {
        if ("required".equals(System.getenv("VCO_JEMALLOC"))) assertTrue(Files.isRegularFile(JEMALLOC), "no " + JEMALLOC);
        assumeTrue(Files.isRegularFile(JEMALLOC), "jemalloc is not installed");
        String[] lines = probe(JEMALLOC, "release").split("\\R");
        long afterFree = Long.parseLong(lines[1].strip());
        long afterRelease = Long.parseLong(lines[2].strip());
        // Told never to return freed pages, jemalloc keeps the 256 MB resident until asked.
        assertTrue(afterFree - afterRelease >= 200, "resident " + afterFree + " MB after free, " + afterRelease + " after release");
    }

    @Test
    void underGlibcTheReleaseRunsAndHoldsNothingMore() throws Exception {
        // glibc already unmapped the 256 MB block at free (above its mmap threshold): the call (malloc_trim) must
        // succeed and leave the resident size where it was.
        String[] lines = probe(null, "release").split("\\R");
        assertEquals("glibc malloc", lines[0]);
        assertTrue(Long.parseLong(lines[2].strip()) <= Long.parseLong(lines[1].strip()) + 8, String.join(" / ", lines));
    }

    @Test
    void residentMemoryIsReadAndThePeakIsAtLeastIt() {
        long now = ProcessMemory.residentBytes();
        assertTrue(now > 0, "VmRSS " + now);
        assertTrue(ProcessMemory.peakResidentBytes() >= now);
    }

    private static String probe(Path preload, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), AllocatorProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("LD_PRELOAD");
        builder.environment().remove("MALLOC_CONF");
        if (preload != null) {
            builder.environment().put("LD_PRELOAD", preload.toString());
            builder.environment().put("MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1");
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
