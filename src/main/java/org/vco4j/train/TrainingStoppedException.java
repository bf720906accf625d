package org.vco4j.train;

import org.vco4j.common.StopSignals;

/**
 * A run stopped on request (SIGTERM, SIGINT) at a step boundary, normally after saving a checkpoint there. The
 * message is the one line to print; the process should exit with {@link #exitStatus()} (128 + the signal number).
 */
public final class TrainingStoppedException extends RuntimeException {
    private final String signal;

    public TrainingStoppedException(String signal, String message) {
        super(message);
        this.signal = signal;
    }

    /** "TERM" or "INT". */
    public String signal() {
        return signal;
    }

    /** 143 for SIGTERM, 130 for SIGINT. */
    public int exitStatus() {
        return StopSignals.exitStatus(signal);
    }
}
