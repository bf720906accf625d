package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Reference log-probabilities for a batch: from the on-disk cache (filled in a first pass before training) or,
 * with {@code live}, recomputed inside every step as the papers' reference code does.
 */
public final class ReferenceLogps implements AutoCloseable {
    private final ReferenceModel reference;
    private final ReferenceCache cache; // null when live
    private final boolean sharePrefixes;
    private final int batchSize;

    public ReferenceLogps(ReferenceModel reference, ReferenceCache cache, boolean sharePrefixes, int batchSize) {
        this.reference = reference;
        this.cache = cache;
        this.sharePrefixes = sharePrefixes;
        this.batchSize = batchSize;
    }

    public boolean isLive() {
        return cache == null;
    }

    /** Log-probs of {@code requests} (request order), computing and caching whatever is missing. */
    public double[] logps(List<ScoreRequest> requests) {
        double[] out = new double[requests.size()];
        if (cache == null) {
            // Its own scope: the reference pass's tensors are freed here, not held through the policy's backward.
            try (PointerScope scope = new PointerScope()) {
                float[] values = Tensors.toFloatArray(reference.score(requests, sharePrefixes).logps());
                for (int i = 0; i < out.length; i++) out[i] = values[i];
                return out;
            }
        }
        List<ScoreRequest> missing = new ArrayList<>();
        for (ScoreRequest request : requests) if (!cache.contains(request)) missing.add(request);
        if (!missing.isEmpty()) compute(missing, n -> {});
        for (int i = 0; i < out.length; i++) out[i] = cache.get(requests.get(i)).logp();
        return out;
    }

    /** The first pass: computes every not-yet-cached request, reporting progress in requests. */
    public int fill(List<ScoreRequest> requests, IntConsumer progress) throws IOException {
        if (cache == null) return 0;
        Map<String, ScoreRequest> missing = new LinkedHashMap<>();
        for (ScoreRequest request : requests) if (!cache.contains(request)) missing.putIfAbsent(request.id(), request);
        compute(new ArrayList<>(missing.values()), progress);
        cache.flush();
        return missing.size();
    }

    private void compute(List<ScoreRequest> requests, IntConsumer progress) {
        for (int start = 0; start < requests.size(); start += batchSize) {
            List<ScoreRequest> batch = requests.subList(start, Math.min(requests.size(), start + batchSize));
            try (PointerScope scope = new PointerScope()) {
                ScoredBatch scored = reference.score(batch, sharePrefixes);
                float[] values = Tensors.toFloatArray(scored.logps());
                for (int i = 0; i < batch.size(); i++) cache.put(batch.get(i), values[i], scored.tokens()[i]);
            }
            progress.accept(batch.size());
        }
    }

    public ReferenceCache cache() {
        return cache;
    }

    @Override
    public void close() throws IOException {
        if (cache != null) cache.close();
    }
}
