package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.cli.VcoCommand;
import org.vco4j.common.Folders;
import org.vco4j.testing.TinyData;
import org.vco4j.testing.TinyWorld;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code --resume} heals what a kill or a damaged disk leaves: it falls back to the newest readable checkpoint,
 * names a torn {@code trainer_state.json}, removes staging folders of an interrupted save, and refuses settings
 * that would change the run. And a run that fails before its first checkpoint leaves nothing that blocks a rerun.
 */
class ResumeHealsTest {
    /** Exit status and everything printed (stdout and stderr) of one in-process {@code vco} command. */
    record Result(int status, String output) {}

    static Result vco(List<String> args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int status = VcoCommand.run(args.toArray(new String[0]));
            return new Result(status, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static List<String> train(Path data, Path out, int steps, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--objective", "s-vco", "--model", TinyWorld.checkpoint().toString(),
                "--data", data.toString(), "--out", out.toString(), "--max-steps", Integer.toString(steps), "--batch-size", "2",
                "--lr", "1e-3", "--lora-r", "4", "--lora-dropout", "0.1", "--save-steps", "2", "--save-total-limit", "3",
                "--seed", "5"));
        args.addAll(Arrays.asList(more));
        return args;
    }

    /** {@code args} with {@code option}'s value replaced. */
    static List<String> with(List<String> args, String option, String value) {
        List<String> out = new ArrayList<>(args);
        out.set(out.indexOf(option) + 1, value);
        return out;
    }

    private static String lineWith(String output, String text) {
        return output.lines().filter(l -> l.contains(text)).findFirst().orElseThrow(() -> new AssertionError(text + " not in:\n" + output));
    }

    @Test
    void aCorruptLatestCheckpointFallsBackToTheNewestIntactOne(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path run = dir.resolve("run");
        Result first = vco(train(data, run, 6));
        assertEquals(0, first.status(), first.output());
        byte[] expected = Files.readAllBytes(run.resolve("adapter/adapter_model.safetensors"));
        Path latest = run.resolve("checkpoints/step-000004");
        Path optimizer = latest.resolve("optimizer.safetensors");
        Files.write(optimizer, Arrays.copyOf(Files.readAllBytes(optimizer), 100)); // torn by a bad disk

        Result resumed = vco(train(data, run, 6, "--resume"));
        assertEquals(0, resumed.status(), resumed.output());
        String warning = lineWith(resumed.output(), "warning: checkpoint " + latest + " cannot be read");
        assertTrue(warning.contains("trying step-000002"), warning);
        assertTrue(resumed.output().contains("resuming from " + run.resolve("checkpoints/step-000002") + " at step 2"), resumed.output());
        assertTrue(Files.isDirectory(run.resolve("checkpoints/corrupt-step-000004")), "the unreadable checkpoint is kept aside");
        assertArrayEquals(expected, Files.readAllBytes(run.resolve("adapter/adapter_model.safetensors")),
                "resumed from step 2, the run ends exactly as before");
    }

    @Test
    void aTruncatedTrainerStateIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path run = dir.resolve("run");
        assertEquals(0, vco(train(data, run, 3)).status());
        Path state = run.resolve("checkpoints/step-000002/trainer_state.json");
        String text = Files.readString(state);
        Files.writeString(state, text.substring(0, text.length() / 2));

        Result resumed = vco(train(data, run, 3, "--resume"));
        assertEquals(2, resumed.status(), resumed.output());
        String error = lineWith(resumed.output(), "error:");
        assertTrue(error.contains(state + ":"), error);
        assertTrue(error.contains("not a complete trainer state"), error);
        assertFalse(resumed.output().contains("\tat "), "no stack trace: " + resumed.output());
        assertTrue(Files.isDirectory(run.resolve("checkpoints/step-000002")), "nothing is moved when nothing can be resumed");
    }

    @Test
    void resumingWithSettingsThatChangeTheRunIsRefusedHarmlessOnesAreSaid(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path other = TinyData.contrastTuples(dir.resolve("other"), 3);
        Path run = dir.resolve("run");
        assertEquals(0, vco(train(data, run, 3)).status());

        Result refused = vco(with(train(data, run, 3, "--resume"), "--seed", "7"));
        assertEquals(2, refused.status(), refused.output());
        assertEquals(1, refused.output().lines().count(), refused.output());
        assertTrue(refused.output().startsWith("error: --resume: setting seed is 7 but the run was started with 5"), refused.output());

        Result batch = vco(with(train(other, run, 3, "--resume"), "--batch-size", "1"));
        assertEquals(2, batch.status(), batch.output());
        assertTrue(batch.output().contains("setting data is " + other + " but the run was started with " + data), batch.output());
        assertTrue(batch.output().contains("setting per_device_train_batch_size is 1 but the run was started with 2"), batch.output());

        Result logging = vco(train(data, run, 3, "--resume", "--logging-steps", "2"));
        assertEquals(0, logging.status(), logging.output());
        assertTrue(logging.output().contains("note: --resume with logging_steps 2 instead of 1"), logging.output());

        // The same path with other bytes is another data set too.
        java.nio.file.Files.writeString(data, java.nio.file.Files.readString(data).replace("red", "blue"));
        Result edited = vco(train(data, run, 3, "--resume"));
        assertEquals(2, edited.status(), edited.output());
        assertEquals(1, edited.output().lines().count(), edited.output());
        assertTrue(edited.output().startsWith("error: --resume: the data file " + data + " changed since the run started"),
                edited.output());
    }

    @Test
    void stagingFoldersOfAnInterruptedSaveAreRemovedOnTheNextStart(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path run = dir.resolve("run");
        assertEquals(0, vco(train(data, run, 3)).status());
        Path staging = Files.createDirectories(run.resolve("checkpoints/.step-000004.0123456789ab.tmp"));
        Files.writeString(staging.resolve("trainer_state.json"), "{\"global_st");
        Path adapterStaging = Files.createDirectories(run.resolve(".adapter.a1b2c3d4e5f6.tmp"));
        // A kill between the two renames of a replace: the old folder is the only complete copy.
        Path step2 = run.resolve("checkpoints/step-000002");
        Path old = run.resolve("checkpoints/.step-000002.00112233aabb.old");
        Files.move(step2, old);

        Result resumed = vco(train(data, run, 3, "--resume"));
        assertEquals(0, resumed.status(), resumed.output());
        assertTrue(resumed.output().contains("note: removed 3 staging folder(s)"), resumed.output());
        assertFalse(Files.exists(staging));
        assertFalse(Files.exists(adapterStaging));
        assertFalse(Files.exists(old));
        assertTrue(resumed.output().contains("resuming from " + step2 + " at step 2"), resumed.output());
    }

    @Test
    void aRunThatFailsBeforeItsFirstCheckpointLeavesNothingBehind(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        lines.set(2, "{\"id\": \"broken\", ");
        Path bad = dir.resolve("data/bad.jsonl");
        Files.write(bad, lines);
        Path run = dir.resolve("run");

        Result failed = vco(train(bad, run, 3));
        assertEquals(2, failed.status(), failed.output());
        assertEquals(1, failed.output().lines().count(), failed.output());
        assertTrue(failed.output().contains("bad.jsonl:3"), failed.output());
        assertFalse(Files.exists(run), "the folder this run created is gone");
        Result again = vco(train(bad, run, 3));
        assertEquals(failed, again, "the same command fails the same way, not with 'already holds a run'");

        Result model = vco(with(train(data, run, 3), "--model", dir.resolve("no-such-model").toString()));
        assertEquals(2, model.status(), model.output());
        assertTrue(model.output().contains("no-such-model"), model.output());
        assertFalse(Files.exists(run));

        // A folder left by a run killed before its first checkpoint: a plain rerun starts it over.
        Files.createDirectories(run);
        Files.writeString(run.resolve(TrainingRun.CONFIG_FILE), "objective: s-vco\n");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\": 1, \"lo");
        Result rerun = vco(train(data, run, 3));
        assertEquals(0, rerun.status(), rerun.output());
        assertTrue(rerun.output().contains("holds a run that ended before its first checkpoint; starting it over"), rerun.output());
        Result refused = vco(train(data, run, 3));
        assertEquals(2, refused.status());
        assertTrue(refused.output().contains("already holds a run; pass --resume"), refused.output());

        // A folder that existed before the run is the user's: it stays.
        Path mine = Files.createDirectories(dir.resolve("mine"));
        assertEquals(2, vco(train(bad, mine, 3)).status());
        assertTrue(Files.isDirectory(mine));
        Folders.deleteRecursively(mine);
    }
}
