package org.vco4j.train.distributed;

/**
 * A rendezvous or collective that failed: a rank that never arrived, a peer that died, a timeout, ranks that
 * passed different tensors. The message names the rank and the rendezvous address; the native cause (with
 * its C++ stack) is kept as the cause.
 */
public final class DistributedException extends RuntimeException {
    public DistributedException(String message) {
        super(message);
    }

    public DistributedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a native error: libtorch appends its C++ stack to the message. */
    static String firstLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) return t.getClass().getSimpleName();
        return message.lines().filter(l -> !l.isBlank()).findFirst().orElse(message).trim();
    }
}
