package org.vco4j.tensor;

import org.junit.jupiter.api.Test;
import org.vco4j.cli.VcoCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenBLAS choice at start, each in a fresh JVM (libraries load once per process). Where an OpenMP build of
 * OpenBLAS is installed, libtorch's products must bind to it and stay correct; {@code VCO_OPENMP_OPENBLAS=required}
 * (set by CI after installing one) turns its absence into a failure instead of a skip.
 */
class NativeThreadsTest {
    private static final double TOLERANCE = 1e-3; // float32 sums of 300 products of unit normals

    @Test
    void anInstalledOpenMpBuildIsWhatLibtorchsProductsBindTo() throws Exception {
        Path installed = NativeThreads.SYSTEM_OPENMP_OPENBLAS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        if ("required".equals(System.getenv("VCO_OPENMP_OPENBLAS")))
            assertTrue(installed != null, "no OpenMP build of OpenBLAS at " + NativeThreads.SYSTEM_OPENMP_OPENBLAS);
        assumeTrue(installed != null, "no OpenMP build of OpenBLAS installed");
        Map<String, String> probe = probe(null);
        assertEquals(installed.toRealPath().toString(), probe.get("sgemm"));
        assertTrue(probe.get("in_force").contains("OpenMP build"), probe.get("in_force"));
        assertTrue(Double.parseDouble(probe.get("max_error")) < TOLERANCE, probe.get("max_error"));
    }

    @Test
    void bundledKeepsTheBundledLibraryOnOneThread() throws Exception {
        Map<String, String> probe = probe("bundled");
        assertEquals("bundled OpenBLAS (pthreads build): 1 thread of its own", probe.get("in_force"));
        assertTrue(!String.valueOf(probe.get("sgemm")).contains("openmp"), probe.get("sgemm"));
        assertTrue(Double.parseDouble(probe.get("max_error")) < TOLERANCE, probe.get("max_error"));
    }

    @Test
    void aMissingChoiceIsOneLineAndExitTwo() throws Exception {
        Process process = start("/no/such/libopenblas.so.0", VcoCommand.class.getName(), "--version");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(2, process.exitValue(), output);
        assertEquals("error: VCO_OPENBLAS=/no/such/libopenblas.so.0: no such file (a path to an OpenMP build of OpenBLAS, or 'bundled')",
                output.strip());
    }

    private static Map<String, String> probe(String choice) throws IOException, InterruptedException {
        Process process = start(choice, NativeThreadsProbe.class.getName());
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "probe did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().filter(l -> l.contains("=")).collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (x, y) -> y));
    }

    private static Process start(String choice, String mainClass, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx256m", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("OPENBLAS_NUM_THREADS"); // as ./vco starts it
        if (choice == null) builder.environment().remove(NativeThreads.CHOICE);
        else builder.environment().put(NativeThreads.CHOICE, choice);
        return builder.start();
    }
}
