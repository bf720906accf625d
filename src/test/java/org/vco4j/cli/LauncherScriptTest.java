package org.vco4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The {@code vco} script's environment for the JVM: an installed jemalloc preloaded with pages kept, unless
 * {@code VCO_MALLOC=system}; the user's settings kept. The script runs from a copy whose jar is up to date (so it
 * builds nothing) with a {@code java} on the PATH that prints what it was given.
 */
class LauncherScriptTest {
    private static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
    private static final String KEEP_PAGES = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

    @TempDir
    Path dir;

    @Test
    void anInstalledJemallocIsPreloadedWithPagesKept() throws Exception {
        if ("required".equals(System.getenv("VCO_JEMALLOC"))) assertTrue(Files.isRegularFile(JEMALLOC), "no " + JEMALLOC);
        assumeTrue(Files.isRegularFile(JEMALLOC), "jemalloc is not installed");
        Map<String, String> seen = launch(Map.of());
        assertEquals(JEMALLOC.toString(), seen.get("LD_PRELOAD"));
        assertEquals(KEEP_PAGES, seen.get("MALLOC_CONF"));
        assertEquals("-Dai.djl.offline=true -jar " + dir.resolve("target/vco4j.jar") + " demo --quick", seen.get("ARGS"));
    }

    @Test
    void theUsersChoicesStay() throws Exception {
        assumeTrue(Files.isRegularFile(JEMALLOC), "jemalloc is not installed");
        Map<String, String> system = launch(Map.of("VCO_MALLOC", "system"));
        assertEquals("", system.get("LD_PRELOAD"));
        assertEquals("", system.get("MALLOC_CONF"));
        Map<String, String> own = launch(Map.of("MALLOC_CONF", "narenas:1", "LD_PRELOAD", "/lib/other.so"));
        assertEquals(JEMALLOC + ":/lib/other.so", own.get("LD_PRELOAD"));
        assertEquals("narenas:1", own.get("MALLOC_CONF"));
        Map<String, String> already = launch(Map.of("LD_PRELOAD", JEMALLOC.toString()));
        assertEquals(JEMALLOC.toString(), already.get("LD_PRELOAD"), "not preloaded twice");
    }

    private Map<String, String> launch(Map<String, String> environment) throws Exception {
        Path script = dir.resolve("vco");
        if (!Files.exists(script)) {
            Files.copy(Path.of("vco"), script);
            Files.createDirectories(dir.resolve("src/main"));
            Files.writeString(dir.resolve("pom-core.xml"), "");
            Path jar = Files.createDirectories(dir.resolve("target")).resolve("vco4j.jar");
            Files.writeString(jar, "");
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            Path java = Files.createDirectories(dir.resolve("bin")).resolve("java");
            Files.writeString(java, "#!/usr/bin/env bash\necho \"LD_PRELOAD=${LD_PRELOAD:-}\"\necho \"MALLOC_CONF=${MALLOC_CONF:-}\"\necho \"ARGS=$*\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString(), "demo", "--quick")).redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("LD_PRELOAD", "MALLOC_CONF", "VCO_MALLOC", "VCO_JAVA_OPTS"));
        builder.environment().putAll(environment);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        Map<String, String> seen = new LinkedHashMap<>();
        output.lines().filter(l -> l.contains("=")).forEach(l -> seen.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertTrue(seen.containsKey("ARGS"), "the script did not start java:\n" + output);
        return seen;
    }
}
