package org.vco4j.train.distributed;

import java.time.Duration;

/**
 * How to join a run: the backend, how long to wait for every rank to reach the rendezvous, and how long a
 * collective may wait for the slowest rank (a rank writing a checkpoint makes the others wait, so this one
 * is long by default, as in PyTorch).
 */
public record DistributedOptions(CollectiveBackend backend, Duration rendezvousTimeout, Duration collectiveTimeout) {
    public static final Duration DEFAULT_RENDEZVOUS_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_COLLECTIVE_TIMEOUT = Duration.ofMinutes(30);

    public DistributedOptions {
        if (backend == null) throw new IllegalArgumentException("distributed backend: none given");
        checkPositive(rendezvousTimeout, "rendezvous timeout");
        checkPositive(collectiveTimeout, "collective timeout");
    }

    /** auto backend, 5 minutes to meet, 30 minutes per collective. */
    public static DistributedOptions defaults() {
        return new DistributedOptions(CollectiveBackend.AUTO, DEFAULT_RENDEZVOUS_TIMEOUT, DEFAULT_COLLECTIVE_TIMEOUT);
    }

    public DistributedOptions withBackend(CollectiveBackend value) {
        return new DistributedOptions(value, rendezvousTimeout, collectiveTimeout);
    }

    public DistributedOptions withRendezvousTimeout(Duration value) {
        return new DistributedOptions(backend, value, collectiveTimeout);
    }

    public DistributedOptions withCollectiveTimeout(Duration value) {
        return new DistributedOptions(backend, rendezvousTimeout, value);
    }

    private static void checkPositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
}
