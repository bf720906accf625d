package org.vco4j.model.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Loads a tokenizer in a child JVM that has none of the settings this build passes to tests, to check
 * that {@link TextTokenizer} by itself keeps DJL off the network and on its bundled CPU library.
 */
class OfflineLoadTest {
    @TempDir
    Path dir;

    @Test
    void loadsWithoutNetworkAccessUsingTheBundledCpuLibrary() throws IOException, InterruptedException {
        Path tokenizer = dir.resolve("tokenizer");
        WordLevelTokenizerWriter.write(tokenizer, List.of("red", "circle"), 16);
        Path cache = dir.resolve("djl-cache");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OfflineLoadCheck.class.getName(), tokenizer.toString(), cache.toString());
        Map<String, String> env = pb.environment();
        for (String name : List.of("DJL_OFFLINE", "RUST_FLAVOR", "OPT_OUT_TRACKING", "RUST_LIBRARY_PATH", "ENGINE_CACHE_DIR", "JAVA_TOOL_OPTIONS")) {
            env.remove(name);
        }
        // A fresh cache, so the native library has to come from somewhere during this run.
        env.put("DJL_CACHE_DIR", cache.toString());
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("ids [1, 5, 6]"), output);
        assertTrue(output.contains("offline true"), output);
        assertTrue(output.contains("attempts []"), output);
        // Extracted from the jar into <cache>/tokenizers/<version>-cpu-<platform>/.
        assertTrue(output.lines().anyMatch(l -> l.startsWith("library " + cache) && l.contains("-cpu-")), output);
    }
}
