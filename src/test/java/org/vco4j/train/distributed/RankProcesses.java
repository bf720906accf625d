package org.vco4j.train.distributed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the ranks of a loopback run as child JVMs of a test main class, with the torchrun variables set
 * directly (no launcher), and collects each rank's exit code and output.
 */
final class RankProcesses {
    record Result(int rank, int exitCode, String stdout, String stderr) {
        String describe() {
            return "rank " + rank + " exited with " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }

        /** The value of the first {@code key: value} line on standard output. */
        String value(String key) {
            return stdout.lines().filter(l -> l.startsWith(key + ": ")).map(l -> l.substring(key.length() + 2)).findFirst()
                    .orElseThrow(() -> new AssertionError("rank " + rank + " printed no '" + key + "':\n" + describe()));
        }
    }

    private RankProcesses() {}

    static List<Result> run(int worldSize, Class<?> mainClass, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        int port = LocalLauncher.freeLoopbackPort();
        List<Process> processes = new ArrayList<>();
        List<Capture> outputs = new ArrayList<>();
        try {
            for (int rank = 0; rank < worldSize; rank++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        // Short-lived JVMs whose work is native: the client compiler and serial GC start faster.
                        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
                command.addAll(args);
                ProcessBuilder builder = new ProcessBuilder(command);
                builder.environment().putAll(new DistributedEnvironment(worldSize, rank, rank, "127.0.0.1", port).variables());
                Process process = builder.start();
                processes.add(process);
                outputs.add(new Capture(process.getInputStream(), process.getErrorStream()));
            }
            List<Result> results = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (int rank = 0; rank < worldSize; rank++) {
                Process process = processes.get(rank);
                long left = Math.max(0, deadline - System.nanoTime());
                if (!process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    processes.forEach(Process::destroyForcibly);
                    throw new AssertionError("rank " + rank + " did not finish within " + timeoutSeconds + " s");
                }
                outputs.get(rank).join();
                results.add(new Result(rank, process.exitValue(), outputs.get(rank).out(), outputs.get(rank).err()));
            }
            return results;
        } finally {
            processes.forEach(p -> { if (p.isAlive()) p.destroyForcibly(); });
        }
    }

    /** Drains both streams of a child on their own threads, so a full pipe never blocks it. */
    private static final class Capture {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outThread;
        private final Thread errThread;

        Capture(InputStream stdout, InputStream stderr) {
            outThread = drain(stdout, out);
            errThread = drain(stderr, err);
        }

        void join() throws InterruptedException {
            outThread.join();
            errThread.join();
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        private static Thread drain(InputStream in, ByteArrayOutputStream sink) {
            Thread t = new Thread(() -> {
                try (in) {
                    in.transferTo(sink);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
