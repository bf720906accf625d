package org.vco4j.train;

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

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run killed with SIGKILL in the middle, then resumed, ends with the same weights as a run that was never
 * interrupted: checkpoints hold everything (weights, optimizer moments, data position, dropout generator).
 */
class ResumeAfterKillTest {
    private static final int STEPS = 30;

    @Test
    void killedAndResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 5);
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");

        assertEquals(0, vco(arguments(data, whole, false)).waitFor());

        Process victim = vco(arguments(data, killed, false));
        Path checkpoint = killed.resolve("checkpoints/step-000004/trainer_state.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(checkpoint) && victim.isAlive() && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(Files.exists(checkpoint), "no checkpoint appeared before the run ended");
        victim.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        victim.waitFor();
        assertFalse(Files.exists(killed.resolve("adapter")), "the run finished before it could be killed");

        Process resumed = vco(arguments(data, killed, true));
        assertEquals(0, resumed.waitFor());
        assertArrayEquals(Files.readAllBytes(whole.resolve("adapter/adapter_model.safetensors")),
                Files.readAllBytes(killed.resolve("adapter/adapter_model.safetensors")));
        List<String> wholeLosses = losses(whole);
        List<String> resumedLosses = losses(killed);
        assertEquals(STEPS, resumedLosses.size(), "metrics.jsonl holds each step once after the resume");
        assertEquals(wholeLosses, resumedLosses);
    }

    private static List<String> arguments(Path data, Path out, boolean resume) {
        List<String> args = new ArrayList<>(List.of("train", "--objective", "s-vco", "--model", TinyWorld.checkpoint().toString(),
                "--data", data.toString(), "--out", out.toString(), "--max-steps", Integer.toString(STEPS), "--batch-size", "2",
                "--lr", "1e-3", "--lora-r", "4", "--lora-dropout", "0.1", "--save-steps", "2", "--save-total-limit", "3",
                "--seed", "5"));
        if (resume) args.add("--resume");
        return args;
    }

    private static Process vco(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.vco4j.cli.VcoCommand"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<String> losses(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            if (node.has("loss")) out.add(node.get("step").asText() + ":" + node.get("loss").asText());
        }
        return out;
    }
}
