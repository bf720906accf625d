package org.vco4j.train.distributed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code --nproc N} on one machine: starts N JVMs of the same main class, class path, JVM options and
 * arguments (minus {@code --nproc}), as ranks 0..N-1 of a run whose rendezvous is on loopback at a free port.
 * Their output is forwarded line by line, rank 0's as is and the others' prefixed with {@code [rank i]}.
 * When a rank fails, the others are stopped and the failing rank's exit code is returned.
 */
public final class LocalLauncher {
    public static final String NPROC_OPTION = "--nproc";
    static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";
    private static final long STOP_GRACE_SECONDS = 10;

    private LocalLauncher() {}

    /** Runs {@code nproc} ranks of {@code mainClass} with {@code args}, forwarding to this JVM's standard streams. */
    public static int launch(int nproc, List<String> args, Class<?> mainClass) {
        return launch(nproc, args, mainClass, System.out, System.err);
    }

    /**
     * Runs {@code nproc} ranks of {@code mainClass} and waits for all of them.
     *
     * @param args the command line, which may still hold {@code --nproc N} (it is removed)
     * @return 0 when every rank succeeded, else the exit code of the first rank that failed
     * @throws IllegalStateException when called inside a rank of a distributed run (no nested launches)
     */
    public static int launch(int nproc, List<String> args, Class<?> mainClass, PrintStream out, PrintStream err) {
        if (nproc < 1) throw new IllegalArgumentException(NPROC_OPTION + " " + nproc + ": must be at least 1");
        String inherited = System.getenv(DistributedEnvironment.WORLD_SIZE);
        if (inherited != null && !inherited.trim().equals("1")) {
            throw new IllegalStateException(NPROC_OPTION + " inside a distributed run (" + DistributedEnvironment.WORLD_SIZE + "="
                    + inherited + "): start the ranks from one launcher only");
        }
        List<String> command = childCommand(mainClass, withoutNproc(args));
        Map<String, String> threads = rankThreads(nproc, System.getenv(OMP_NUM_THREADS), Runtime.getRuntime().availableProcessors());
        if (!threads.isEmpty())
            err.println("note: " + OMP_NUM_THREADS + "=" + threads.get(OMP_NUM_THREADS) + " in each of the " + nproc + " ranks ("
                    + Runtime.getRuntime().availableProcessors() + " cores shared out; set " + OMP_NUM_THREADS + " to choose)");
        int port = freeLoopbackPort();
        List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        // SIGTERM/SIGINT to the launcher go on to every rank as SIGTERM: the ranks agree on a step boundary, save
        // a checkpoint there and exit with 143 (killing them would lose the steps since the last checkpoint).
        org.vco4j.common.StopSignals signals = org.vco4j.common.StopSignals.install(() -> {
            // ProcessHandle.destroy sends SIGTERM like Process.destroy, but leaves the output streams open: the
            // ranks' last lines (where they stopped) still reach the launcher's output.
            for (Process p : processes) if (p.isAlive()) p.toHandle().destroy();
        });
        // Children must not outlive the launcher, whatever ends it.
        Thread stopChildren = new Thread(() -> processes.forEach(Process::destroyForcibly), "stop-ranks");
        Runtime.getRuntime().addShutdownHook(stopChildren);
        try {
            BlockingQueue<Integer> exited = new LinkedBlockingQueue<>();
            for (int rank = 0; rank < nproc; rank++) {
                ProcessBuilder builder = new ProcessBuilder(command);
                builder.environment().putAll(new DistributedEnvironment(nproc, rank, rank, "127.0.0.1", port).variables());
                builder.environment().putAll(threads);
                Process process;
                try {
                    process = builder.start();
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start rank " + rank + ": " + e.getMessage(), e);
                }
                process.getOutputStream().close();
                processes.add(process);
                String prefix = rank == 0 ? "" : "[rank " + rank + "] ";
                pumps.add(forward(process.getInputStream(), out, prefix, rank));
                pumps.add(forward(process.getErrorStream(), err, prefix, rank));
                int r = rank;
                process.onExit().thenRun(() -> exited.add(r));
            }
            int failedRank = -1;
            int failedCode = 0;
            for (int remaining = nproc; remaining > 0; remaining--) {
                Integer rank = failedRank < 0 ? exited.take() : exited.poll(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                if (rank == null) {
                    processes.forEach(Process::destroyForcibly);
                    rank = exited.take();
                }
                int code = processes.get(rank).exitValue();
                if (code != 0 && failedRank < 0) {
                    failedRank = rank;
                    failedCode = code;
                    for (Process p : processes) if (p.isAlive()) p.toHandle().destroy(); // streams stay open
                }
            }
            for (Thread pump : pumps) pump.join();
            if (failedRank >= 0 && signals.stopRequested()) return failedCode; // the ranks said where they stopped
            if (failedRank >= 0) {
                err.println("rank " + failedRank + " of " + nproc + " failed with exit code " + failedCode
                        + (nproc > 1 ? "; the other ranks were stopped" : ""));
                return failedCode;
            }
            return 0;
        } catch (InterruptedException e) {
            processes.forEach(Process::destroyForcibly);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ranks; they were stopped", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            signals.close();
            processes.forEach(p -> { if (p.isAlive()) p.destroyForcibly(); });
            try {
                Runtime.getRuntime().removeShutdownHook(stopChildren);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /** {@code args} without {@code --nproc N} / {@code --nproc=N}, so that a rank does not launch again. */
    public static List<String> withoutNproc(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(NPROC_OPTION)) {
                i++;
            } else if (!a.startsWith(NPROC_OPTION + "=")) {
                out.add(a);
            }
        }
        return out;
    }

    /** The java command that runs {@code mainClass} like this JVM: same java, class path and JVM options. */
    /**
     * The OpenMP threads of each rank where the user has not chosen: the cores shared out among the ranks (torchrun
     * sets one per rank). Each rank's libtorch would otherwise start one thread per core, and N ranks would run N
     * times as many threads as cores: on 2 cores two ranks of the small LLaVA-shaped model took 45.4 s for the same
     * 3 steps as 24.7 s with one thread each.
     *
     * @param chosen the launcher's {@code OMP_NUM_THREADS}, null when unset
     */
    static Map<String, String> rankThreads(int nproc, String chosen, int cores) {
        if (chosen != null || nproc == 1) return Map.of();
        return Map.of(OMP_NUM_THREADS, Integer.toString(Math.max(1, cores / nproc)));
    }

    static List<String> childCommand(Class<?> mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger agent listens on a fixed port: N copies of it cannot start.
            if (option.startsWith("-agentlib:jdwp") || option.startsWith("-Xrunjdwp") || option.equals("-Xdebug")) continue;
            command.add(option);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    /** A TCP port free on loopback right now (the OS picks it); rank 0 binds it moments later. */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on loopback for the rendezvous: " + e.getMessage(), e);
        }
    }

    private static Thread forward(InputStream in, PrintStream target, String prefix, int rank) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) target.println(prefix + line);
            } catch (IOException e) {
                // The rank is gone; there is nothing more to forward.
            }
            target.flush();
        }, "rank-" + rank + "-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
