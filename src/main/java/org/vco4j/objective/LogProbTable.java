package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.request.Request;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scored log-probabilities of one batch, answering the requests one objective declared.
 *
 * <p>Per declared request the table holds three {@code [B]} tensors: the policy's summed log-probs (they
 * carry autograd), the reference's (stored detached) and the token counts the sums ran over (SFT averages
 * over them; a count of 0 is an empty token mask, an error naming the sample when the request is read).
 * Per sample it holds an id, for error messages, and whether the multi-image context was shown swapped as
 * {@code [m', m]} (see {@link Objective#drawSwaps}).
 *
 * <p>Reading a request the objective did not declare throws, naming both; every read is recorded, so a
 * test can check that an objective declares exactly what it reads ({@link #readRequests()}).
 *
 * <p>The table owns no native memory of its own: its tensors belong to the caller's
 * {@link org.bytedeco.javacpp.PointerScope}.
 */
public final class LogProbTable {
    /** @param hostCounts the token counts as Java values when the caller had them (no host round trip to check them) */
    private record Entry(Tensor policy, Tensor reference, Tensor tokenCounts, long[] hostCounts) {}

    private final String objectiveName;
    private final List<Request> declared;
    private final List<String> sampleIds;
    private final boolean[] swapped;
    private final Map<Request, Entry> entries;
    private final Set<Request> read = new LinkedHashSet<>();
    private final Set<Request> checkedTokenCounts = new HashSet<>();

    private LogProbTable(Builder builder) {
        this.objectiveName = builder.objectiveName;
        this.declared = builder.declared;
        this.sampleIds = builder.sampleIds;
        this.swapped = builder.swapped.clone();
        this.entries = new LinkedHashMap<>(builder.entries);
    }

    /**
     * Starts a table for {@code objective}'s current {@link Objective#requests() requests} over a batch of
     * samples with the given ids (in batch order).
     */
    public static Builder builder(Objective objective, List<String> sampleIds) {
        return new Builder(objective.name(), objective.requests(), sampleIds);
    }

    /** The number of samples B. */
    public int batchSize() {
        return sampleIds.size();
    }

    /** The id of sample {@code index}. */
    public String sampleId(int index) {
        return sampleIds.get(index);
    }

    /** Whether sample {@code index} showed its multi-image context as {@code [m', m]}. */
    public boolean swapped(int index) {
        return swapped[index];
    }

    /** Policy log-probs {@code lp(request)}, shape {@code [B]}, with autograd. */
    public Tensor policy(Request request) {
        return entry(request).policy();
    }

    /** Reference log-probs {@code lpRef(request)}, shape {@code [B]}, without autograd. */
    public Tensor reference(Request request) {
        return entry(request).reference();
    }

    /** How many tokens each sum ran over, shape {@code [B]}; every count is at least 1. */
    public Tensor tokenCounts(Request request) {
        return entry(request).tokenCounts();
    }

    /** The log-ratio {@code ρ(request) = lp(request) − lpRef(request)}, shape {@code [B]}. */
    public Tensor logRatio(Request request) {
        Entry entry = entry(request);
        return entry.policy().sub(entry.reference());
    }

    /** The requests read so far, in the order of their first read. */
    public Set<Request> readRequests() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(read));
    }

    private Entry entry(Request request) {
        if (!entries.containsKey(request)) {
            throw new IllegalStateException("objective '" + objectiveName + "' read request '" + request.name()
                    + "' that it did not declare; it declares " + declared);
        }
        read.add(request);
        Entry entry = entries.get(request);
        if (checkedTokenCounts.add(request)) {
            rejectEmptySums(request, entry.hostCounts() != null ? entry.hostCounts() : Tensors.toLongArray(entry.tokenCounts()));
        }
        return entry;
    }

    private void rejectEmptySums(Request request, long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) continue;
            String what = request.masked()
                    ? "an empty token mask (it selects no token)"
                    : "an empty response (no token)";
            throw new IllegalArgumentException("objective '" + objectiveName + "': sample '" + sampleIds.get(i)
                    + "' (index " + i + ") has " + what + " in request '" + request.name() + "'");
        }
    }

    /** Collects the scored tensors of every declared request; {@link #build()} checks that none is missing. */
    public static final class Builder {
        private final String objectiveName;
        private final List<Request> declared;
        private final List<String> sampleIds;
        private boolean[] swapped;
        private final Map<Request, Entry> entries = new LinkedHashMap<>();

        private Builder(String objectiveName, List<Request> declared, List<String> sampleIds) {
            if (sampleIds.isEmpty()) throw new IllegalArgumentException("a batch needs at least one sample");
            this.objectiveName = objectiveName;
            this.declared = List.copyOf(declared);
            this.sampleIds = List.copyOf(sampleIds);
            this.swapped = new boolean[sampleIds.size()];
        }

        /** Per sample, whether its multi-image context was shown swapped; all false unless set. */
        public Builder swapped(boolean[] swapped) {
            if (swapped.length != sampleIds.size()) {
                throw new IllegalArgumentException(
                        "swapped has " + swapped.length + " flags for " + sampleIds.size() + " samples");
            }
            this.swapped = swapped.clone();
            return this;
        }

        /**
         * The scores of one declared request: policy log-probs (keep their autograd), reference log-probs
         * (detached here) and token counts, each of shape {@code [B]}. For an objective that does not
         * {@linkplain Objective#usesReference() use the reference}, any reference tensor of that shape will do.
         */
        public Builder put(Request request, Tensor policy, Tensor reference, Tensor tokenCounts) {
            return put(request, policy, reference, tokenCounts, null);
        }

        /**
         * As {@link #put(Request, Tensor, Tensor, Tensor)} with the token counts given as Java values (the scorer's),
         * made a float32 tensor on the policy's device: the table then checks them without reading the device.
         */
        public Builder put(Request request, Tensor policy, Tensor reference, long[] tokenCounts) {
            float[] counts = new float[tokenCounts.length];
            for (int i = 0; i < counts.length; i++) counts[i] = tokenCounts[i];
            Tensor onDevice = Tensors.upload(Tensors.floats(counts), policy.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
            return put(request, policy, reference, onDevice, tokenCounts.clone());
        }

        private Builder put(Request request, Tensor policy, Tensor reference, Tensor tokenCounts, long[] hostCounts) {
            if (!declared.contains(request)) {
                throw new IllegalArgumentException("request '" + request.name() + "' is not declared by objective '"
                        + objectiveName + "', which declares " + declared);
            }
            if (entries.containsKey(request)) {
                throw new IllegalArgumentException("request '" + request.name() + "' was put twice");
            }
            checkBatchVector(request, "policy", policy);
            checkBatchVector(request, "reference", reference);
            checkBatchVector(request, "token counts", tokenCounts);
            if (!policy.is_floating_point() || !reference.is_floating_point()) {
                throw new IllegalArgumentException(
                        "request '" + request.name() + "': log-probs must be floating point");
            }
            entries.put(request, new Entry(policy, reference.detach(), tokenCounts, hostCounts));
            return this;
        }

        /** The table; fails naming the first declared request that was not put. */
        public LogProbTable build() {
            List<Request> missing = new ArrayList<>(declared);
            missing.removeAll(entries.keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("objective '" + objectiveName + "' declares " + missing
                        + " but the table has no scores for them");
            }
            return new LogProbTable(this);
        }

        private void checkBatchVector(Request request, String what, Tensor tensor) {
            long[] shape = Tensors.shape(tensor);
            if (shape.length != 1 || shape[0] != sampleIds.size()) {
                throw new IllegalArgumentException("request '" + request.name() + "': " + what + " has shape "
                        + Arrays.toString(shape) + ", expected [" + sampleIds.size() + "]");
            }
        }
    }
}
