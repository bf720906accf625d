package org.vco4j.train;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyData;
import org.vco4j.testing.TinyWorld;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SIGTERM in the middle of {@code vco train}: the run stops at a step boundary, saves a checkpoint there, says so
 * in one line and exits with 143 (128 + 15), without a native crash; {@code --resume} then ends exactly as a run
 * that was never interrupted.
 */
class StopOnSignalTest {
    private static final int STEPS = 30;

    @Test
    void sigtermSavesACheckpointAndTheResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 5);
        Path whole = dir.resolve("whole");
        Path stopped = dir.resolve("stopped");
        Path log = dir.resolve("stopped.log");

        assertEquals(0, vco(dir, arguments(data, whole, false), dir.resolve("whole.log")).waitFor());

        Process victim = vco(dir, arguments(data, stopped, false), log);
        Path first = stopped.resolve("checkpoints/step-000002/trainer_state.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(first) && victim.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(Files.exists(first), "no checkpoint appeared before the run ended");
        victim.destroy(); // SIGTERM on Linux
        assertTrue(victim.waitFor(2, TimeUnit.MINUTES), "the run did not stop after SIGTERM");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(143, victim.exitValue(), output);
        assertFalse(Files.exists(stopped.resolve("adapter")), "the run finished before it could be stopped");

        Matcher m = Pattern.compile("stopped by SIGTERM at step (\\d+); checkpoint (\\S+); continue with --resume").matcher(output);
        assertTrue(m.find(), output);
        int step = Integer.parseInt(m.group(1));
        assertTrue(step > 0 && step < STEPS, output);
        Path checkpoint = Path.of(m.group(2));
        assertEquals(String.format("step-%06d", step), checkpoint.getFileName().toString());
        assertTrue(Files.isRegularFile(checkpoint.resolve("trainer_state.json")), "the checkpoint of the stop is complete");
        assertFalse(output.contains("Exception"), output);
        assertNoCrashReports(dir);

        Process resumed = vco(dir, arguments(data, stopped, true), dir.resolve("resumed.log"));
        assertEquals(0, resumed.waitFor(), Files.readString(dir.resolve("resumed.log")));
        assertTrue(Files.readString(dir.resolve("resumed.log")).contains("resuming from " + checkpoint + " at step " + step));
        assertArrayEquals(Files.readAllBytes(whole.resolve("adapter/adapter_model.safetensors")),
                Files.readAllBytes(stopped.resolve("adapter/adapter_model.safetensors")));
        assertEquals(losses(whole), losses(stopped));
        assertNoCrashReports(dir);
    }

    @Test
    void sigintStopsWithStatus130(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored here (a background job), and so in the child");
        Path data = TinyData.contrastTuples(dir.resolve("data"), 5);
        Path run = dir.resolve("run");
        Path log = dir.resolve("run.log");
        Process victim = vco(dir, arguments(data, run, false), log);
        Path first = run.resolve("checkpoints/step-000002/trainer_state.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(first) && victim.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(Files.exists(first), "no checkpoint appeared before the run ended");
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(victim.pid())).start().waitFor());
        assertTrue(victim.waitFor(2, TimeUnit.MINUTES), "the run did not stop after SIGINT");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(130, victim.exitValue(), output);
        assertTrue(Pattern.compile("stopped by SIGINT at step \\d+; checkpoint \\S+; continue with --resume").matcher(output).find(), output);
        assertNoCrashReports(dir);
    }

    @Test
    void sigtermDuringTheDemoEndsItCleanly(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("demo.log");
        Process demo = vco(dir, List.of("demo", "--quick", "--out", dir.resolve("demo").toString()), log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        // The base model's SFT is training: native forward and backward passes run all the time.
        while (demo.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("[demo 2/6]")) Thread.sleep(20);
        Thread.sleep(1500);
        assertTrue(demo.isAlive(), Files.readString(log));
        demo.destroy();
        assertTrue(demo.waitFor(2, TimeUnit.MINUTES), "the demo did not stop after SIGTERM");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(143, demo.exitValue(), output);
        assertTrue(output.contains("stopped by SIGTERM at demo stage 'base'; run the demo again to start over"), output);
        assertNoCrashReports(dir);
    }

    @Test
    void sigtermToTheLauncherStopsEveryRankAtTheSameStep(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path run = dir.resolve("ddp");
        Path log = dir.resolve("ddp.log");
        List<String> args = new ArrayList<>(arguments(data, run, false));
        args.addAll(List.of("--nproc", "2"));
        Process launcher = vco(dir, args, log);
        Path first = run.resolve("checkpoints/step-000002/trainer_state.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(first) && launcher.isAlive() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(Files.exists(first), "no checkpoint appeared before the run ended:\n" + Files.readString(log));
        launcher.destroy(); // SIGTERM to the launcher only: it passes it on to the ranks
        assertTrue(launcher.waitFor(2, TimeUnit.MINUTES), "the ranks did not stop after SIGTERM");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(143, launcher.exitValue(), output);
        Matcher rank0 = Pattern.compile("(?m)^stopped by SIGTERM at step (\\d+); checkpoint (\\S+); continue with --resume").matcher(output);
        assertTrue(rank0.find(), output);
        assertTrue(output.contains("[rank 1] stopped by SIGTERM at step " + rank0.group(1) + ";"), "both ranks stop after the same step:\n" + output);
        assertTrue(Files.isRegularFile(Path.of(rank0.group(2)).resolve("trainer_state.json")));
        assertNoCrashReports(dir);
    }

    /** True when this JVM (and so any child it starts) ignores SIGINT, as a background job of a shell does. */
    private static boolean sigintIgnored() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return true;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2) != 0;
        }
        return true;
    }

    private static void assertNoCrashReports(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> reports = files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
            assertTrue(reports.isEmpty(), "the JVM crashed natively: " + reports);
        }
    }

    static List<String> arguments(Path data, Path out, boolean resume) {
        List<String> args = new ArrayList<>(List.of("train", "--objective", "s-vco", "--model", TinyWorld.checkpoint().toString(),
                "--data", data.toString(), "--out", out.toString(), "--max-steps", Integer.toString(STEPS), "--batch-size", "2",
                "--lr", "1e-3", "--lora-r", "4", "--lora-dropout", "0.1", "--save-steps", "2", "--save-total-limit", "3",
                "--seed", "5"));
        if (resume) args.add("--resume");
        return args;
    }

    /** A {@code vco} JVM working in {@code dir} (where a crash report would land), its output in {@code log}. */
    static Process vco(Path dir, List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.vco4j.cli.VcoCommand"));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    static List<String> losses(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            if (node.has("loss")) out.add(node.get("step").asText() + ":" + node.get("loss").asText());
        }
        return out;
    }
}
