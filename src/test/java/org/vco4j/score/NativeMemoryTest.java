package org.vco4j.score;

import org.junit.jupiter.api.Test;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of forward + backward steps must not grow resident memory: every native tensor of a step
 * belongs to the step's pointer scope. The steps run in a child JVM whose heap is fixed and pre-touched,
 * so heap growth cannot hide or fake a native leak.
 */
class NativeMemoryTest {
    private static final int STEPS = 300;
    private static final long LIMIT_KB = 24 * 1024;

    @Test
    void residentMemoryStaysFlatOverManySteps() throws Exception {
        long growth = probe("scoped");
        assertTrue(growth < LIMIT_KB, "resident memory grew by " + growth + " kB over " + STEPS + " steps");
    }

    @Test
    void theProbeSeesALeakWhenStepsAreNotScoped() throws Exception {
        // Guards the guard: the same loop without pointer scopes must look like a leak to this test.
        long growth = probe("unscoped");
        assertTrue(growth >= LIMIT_KB, "an unscoped loop grew only " + growth + " kB: the probe cannot see leaks");
    }

    private static long probe(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xms192m", "-Xmx192m", "-XX:+AlwaysPreTouch",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), NativeMemoryProbe.class.getName(),
                TinyWorld.checkpoint().toString(), TinyWorld.redCircle().toString(), Integer.toString(STEPS), mode);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, process.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("growth_kb=")).findFirst()
                .orElseThrow(() -> new AssertionError("no result from the probe:\n" + output));
        long growth = Long.parseLong(line.substring("growth_kb=".length()));
        System.out.printf("native memory probe (%s): %d kB over %d steps%n", mode, growth, STEPS);
        return growth;
    }
}
