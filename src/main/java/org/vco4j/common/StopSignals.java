package org.vco4j.common;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SIGTERM and SIGINT turned into a request to stop, for as long as native work may be running. By default the
 * JVM answers these signals by shutting down, which runs while libtorch is inside a forward or backward pass and
 * can crash it natively; a cluster (Slurm, Kubernetes, spot instances) preempts with exactly these signals.
 * While a scope is open the signals only set a flag, which the trainer reads at step boundaries: it saves a
 * checkpoint there and ends with {@code train.TrainingStoppedException}. Closing the scope restores the handlers
 * that were there before.
 *
 * <p>Scopes nest: an inner scope (a training run inside {@code vco demo}) shares the outer one's flag and leaves
 * the handlers to it. When the JVM cannot take the signals (started with {@code -Xrs}, or SIGINT ignored by a
 * non-interactive shell), the scope just never sees them.
 */
public final class StopSignals implements AutoCloseable {
    /** The signals handled, with their numbers (exit status 128 + number, as shells report it). */
    private static final Map<String, Integer> SIGNALS = Map.of("TERM", 15, "INT", 2);

    private static final Object LOCK = new Object();
    private static State active; // the outermost open scope's state, or null

    private static final class State {
        volatile String received; // "TERM" or "INT"
        final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
        final Runnable onSignal;

        State(Runnable onSignal) {
            this.onSignal = onSignal;
        }
    }

    private final State state;
    private final boolean owner;
    private boolean closed;

    private StopSignals(State state, boolean owner) {
        this.state = state;
        this.owner = owner;
    }

    /** Opens a scope that catches SIGTERM and SIGINT. */
    public static StopSignals install() {
        return install(() -> {});
    }

    /**
     * Opens a scope that catches SIGTERM and SIGINT and also runs {@code onSignal} (on the signal's thread) for
     * each; a nested scope shares the outer one's flag and does not run its own {@code onSignal}.
     */
    public static StopSignals install(Runnable onSignal) {
        synchronized (LOCK) {
            if (active != null) return new StopSignals(active, false);
            State state = new State(onSignal);
            for (String name : SIGNALS.keySet()) {
                Signal signal = new Signal(name);
                try {
                    SignalHandler before = Signal.handle(signal, s -> {
                        if (state.received == null) {
                            state.received = s.getName();
                            System.err.println("SIG" + s.getName() + " received: stopping at the next step boundary");
                        }
                        state.onSignal.run();
                    });
                    state.previous.put(signal, before);
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    // The JVM keeps this signal to itself (-Xrs) or it is ignored: nothing to catch.
                }
            }
            active = state;
            return new StopSignals(state, true);
        }
    }

    /** The name of the signal received since the scope opened ("TERM", "INT"), or null. */
    public String received() {
        return state.received;
    }

    public boolean stopRequested() {
        return state.received != null;
    }

    /** Acts as if {@code name} ("TERM" or "INT") had been received (tests, and a rank told by its peers). */
    public void request(String name) {
        if (!SIGNALS.containsKey(name)) throw new IllegalArgumentException("not a stop signal: " + name);
        if (state.received == null) state.received = name;
    }

    /** The conventional exit status of a process ended by signal {@code name}: 128 + its number (143 for TERM). */
    public static int exitStatus(String name) {
        return 128 + SIGNALS.getOrDefault(name, 15);
    }

    /** Restores the handlers that were there before the outermost scope opened. */
    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed || !owner) return;
            closed = true;
            state.previous.forEach((signal, handler) -> {
                try {
                    Signal.handle(signal, handler);
                } catch (IllegalArgumentException e) {
                    // cannot happen for a signal handled above
                }
            });
            active = null;
        }
    }
}
