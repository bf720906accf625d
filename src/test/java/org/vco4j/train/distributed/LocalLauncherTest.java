package org.vco4j.train.distributed;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LocalLauncherTest {
    @Test
    void nprocIsRemovedFromTheRanksArguments() {
        assertEquals(List.of("train", "--steps", "3"), LocalLauncher.withoutNproc(List.of("train", "--nproc", "2", "--steps", "3")));
        assertEquals(List.of("train", "x"), LocalLauncher.withoutNproc(List.of("train", "--nproc=4", "x")));
        assertEquals(List.of("train", "--nprocs", "2"), LocalLauncher.withoutNproc(List.of("train", "--nprocs", "2")));
    }

    @Test
    void childrenRunTheSameMainClassWithThisClassPath() {
        List<String> command = LocalLauncher.childCommand(LaunchedMain.class, List.of("a", "b"));
        int cp = command.indexOf("-cp");
        assertTrue(cp > 0, command.toString());
        assertEquals(System.getProperty("java.class.path"), command.get(cp + 1));
        assertEquals(List.of(LaunchedMain.class.getName(), "a", "b"), command.subList(cp + 2, command.size()));
        assertTrue(command.get(0).startsWith(System.getProperty("java.home")), command.get(0));
    }

    @Test
    void twoRanksRunAndTheirOutputIsForwarded() {
        Captured run = launch(List.of("hello", "--nproc", "2"));
        assertEquals(0, run.code, run.toString());
        assertTrue(run.out.lines().anyMatch(l -> l.equals("rank 0 of 2 local 0 main true args [hello] sum 3.0")), run.toString());
        assertTrue(run.out.lines().anyMatch(l -> l.equals("[rank 1] rank 1 of 2 local 1 main false args [hello] sum 3.0")),
                run.toString());
    }

    @Test
    void ranksShareTheCoresUnlessTheUserChoseTheirThreads() {
        assertEquals(Map.of("OMP_NUM_THREADS", "1"), LocalLauncher.rankThreads(2, null, 2));
        assertEquals(Map.of("OMP_NUM_THREADS", "4"), LocalLauncher.rankThreads(2, null, 9));
        assertEquals(Map.of("OMP_NUM_THREADS", "1"), LocalLauncher.rankThreads(4, null, 2), "never zero");
        assertEquals(Map.of(), LocalLauncher.rankThreads(2, "3", 2), "the user's choice stays");
        assertEquals(Map.of(), LocalLauncher.rankThreads(1, null, 2), "one rank has the machine");
        // and the ranks see it
        Captured run = launch(List.of("threads"));
        String expected = System.getenv("OMP_NUM_THREADS") != null ? System.getenv("OMP_NUM_THREADS")
                : Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertTrue(run.out.lines().anyMatch(l -> l.equals("rank 0 OMP_NUM_THREADS " + expected)), run.toString());
        assertTrue(run.out.lines().anyMatch(l -> l.equals("[rank 1] rank 1 OMP_NUM_THREADS " + expected)), run.toString());
    }

    @Test
    void aFailingRankStopsTheOthersAndIsNamed() {
        long start = System.nanoTime();
        Captured run = launch(List.of("fail-rank=1"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(3, run.code, run.toString());
        assertTrue(run.err.contains("[rank 1] rank 1 fails on purpose"), run.toString());
        assertTrue(run.err.contains("rank 1 of 2 failed with exit code 3; the other ranks were stopped"), run.toString());
        // rank 0 waits at the rendezvous for minutes unless the launcher stops it
        assertTrue(seconds < 40, "the launcher took " + seconds + " s");
        assertFalse(run.out.contains("sum"), run.toString());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LocalLauncher.launch(0, List.of(), LaunchedMain.class));
    }

    private record Captured(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private static Captured launch(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = LocalLauncher.launch(2, args, LaunchedMain.class, o, e);
        }
        return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
