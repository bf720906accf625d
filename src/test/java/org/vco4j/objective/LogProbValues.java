package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.Response;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plain Java log-probabilities for every request of an objective, turned into a {@link LogProbTable} on
 * demand (in float64 by default, so finite differences stay precise). Tests write the numbers they reason
 * about by request name; the rest start at policy = reference = −10 over 5 tokens.
 */
final class LogProbValues {
    private final int batch;
    private final List<String> ids = new ArrayList<>();
    private final boolean[] swapped;
    private final Map<Request, double[]> policy = new LinkedHashMap<>();
    private final Map<Request, double[]> reference = new LinkedHashMap<>();
    private final Map<Request, long[]> tokens = new LinkedHashMap<>();

    private LogProbValues(int batch) {
        this.batch = batch;
        this.swapped = new boolean[batch];
        for (int i = 0; i < batch; i++) ids.add("sample-" + i);
    }

    /** Every request of {@code objective} at policy = reference = −10 over 5 tokens. */
    static LogProbValues neutral(Objective objective, int batch) {
        LogProbValues values = new LogProbValues(batch);
        for (Request request : objective.requests()) {
            double[] logps = new double[batch];
            Arrays.fill(logps, -10);
            long[] counts = new long[batch];
            Arrays.fill(counts, 5);
            values.policy.put(request, logps);
            values.reference.put(request, logps.clone());
            values.tokens.put(request, counts);
        }
        return values;
    }

    /** Log-probs around −30 with log-ratios of a few nats, token counts 3–12, seeded. */
    static LogProbValues random(Objective objective, int batch, long seed) {
        Random random = new Random(seed);
        LogProbValues values = neutral(objective, batch);
        for (Request request : values.policy.keySet()) {
            for (int i = 0; i < batch; i++) {
                double referenceLogp = -30 + 4 * random.nextGaussian();
                values.reference.get(request)[i] = referenceLogp;
                values.policy.get(request)[i] = referenceLogp + 3 * random.nextGaussian();
                values.tokens.get(request)[i] = 3 + random.nextInt(10);
            }
        }
        for (int i = 0; i < batch; i++) values.swapped[i] = random.nextBoolean();
        return values;
    }

    /** Random log-probs (as {@link #random}) with the policy equal to the reference everywhere. */
    static LogProbValues atReference(Objective objective, int batch, long seed) {
        LogProbValues values = random(objective, batch, seed);
        values.reference.forEach((request, logps) -> values.policy.put(request, logps.clone()));
        return values;
    }

    /** Sets policy and reference log-prob of sample 0. */
    LogProbValues set(String request, double policyLogp, double referenceLogp) {
        return set(request, 0, policyLogp, referenceLogp);
    }

    /** Sets policy and reference log-prob of one sample. */
    LogProbValues set(String request, int sample, double policyLogp, double referenceLogp) {
        Request key = known(request);
        policy.get(key)[sample] = policyLogp;
        reference.get(key)[sample] = referenceLogp;
        return this;
    }

    /** Sets the log-ratio ρ of sample 0 (reference −20). */
    LogProbValues logRatio(String request, double logRatio) {
        return set(request, 0, -20 + logRatio, -20);
    }

    /** Sets the token count of one sample. */
    LogProbValues tokens(String request, int sample, long count) {
        tokens.get(known(request))[sample] = count;
        return this;
    }

    LogProbValues swapped(int sample, boolean value) {
        swapped[sample] = value;
        return this;
    }

    LogProbValues id(int sample, String id) {
        ids.set(sample, id);
        return this;
    }

    double policy(Request request, int sample) {
        return policy.get(request)[sample];
    }

    int batchSize() {
        return batch;
    }

    List<Request> requests() {
        return List.copyOf(policy.keySet());
    }

    /** A copy with the policy log-prob of one request and sample moved by {@code delta}. */
    LogProbValues shifted(Request request, int sample, double delta) {
        LogProbValues copy = copy();
        copy.policy.get(request)[sample] += delta;
        return copy;
    }

    /** A copy holding only the requests {@code objective} declares (each must be present here). */
    LogProbValues restrictTo(Objective objective) {
        LogProbValues copy = copy();
        copy.policy.keySet().retainAll(objective.requests());
        copy.reference.keySet().retainAll(objective.requests());
        copy.tokens.keySet().retainAll(objective.requests());
        if (!copy.policy.keySet().containsAll(objective.requests())) {
            throw new IllegalArgumentException("values lack some of " + objective.requests());
        }
        return copy;
    }

    /** The same numbers for the sample with its roles flipped: (m, y) ↔ (m', y'), and the image order flipped. */
    LogProbValues mirrored() {
        LogProbValues copy = new LogProbValues(batch);
        copy.ids.clear();
        copy.ids.addAll(ids);
        for (int i = 0; i < batch; i++) copy.swapped[i] = !swapped[i];
        for (Request request : policy.keySet()) {
            Request mirror = mirror(request);
            copy.policy.put(mirror, policy.get(request).clone());
            copy.reference.put(mirror, reference.get(request).clone());
            copy.tokens.put(mirror, tokens.get(request).clone());
        }
        return copy;
    }

    /** A float64 table (or {@code dtype}); policy tensors are autograd leaves when {@code requiresGrad}. */
    LogProbTable table(Objective objective, boolean requiresGrad, ScalarType dtype, Map<Request, Tensor> leaves) {
        LogProbTable.Builder builder = LogProbTable.builder(objective, ids).swapped(swapped);
        for (Request request : policy.keySet()) {
            Tensor policyLogps = Tensors.doubles(policy.get(request)).to(dtype);
            if (requiresGrad) policyLogps.requires_grad_(true);
            if (leaves != null) leaves.put(request, policyLogps);
            builder.put(request, policyLogps, Tensors.doubles(reference.get(request)).to(dtype), Tensors.longs(tokens.get(request)));
        }
        return builder.build();
    }

    LogProbTable table(Objective objective) {
        return table(objective, false, ScalarType.Double, null);
    }

    private LogProbValues copy() {
        LogProbValues copy = new LogProbValues(batch);
        copy.ids.clear();
        copy.ids.addAll(ids);
        System.arraycopy(swapped, 0, copy.swapped, 0, batch);
        policy.forEach((request, values) -> copy.policy.put(request, values.clone()));
        reference.forEach((request, values) -> copy.reference.put(request, values.clone()));
        tokens.forEach((request, values) -> copy.tokens.put(request, values.clone()));
        return copy;
    }

    private Request known(String name) {
        Request request = Request.parse(name);
        if (!policy.containsKey(request)) throw new IllegalArgumentException("the objective does not declare " + name);
        return request;
    }

    static Request mirror(Request request) {
        Response response = switch (request.response().kind()) {
            case Y -> Response.Y_PRIME;
            case Y_PRIME -> Response.Y;
            case REJECTED -> throw new IllegalArgumentException("a rejected answer for m has no mirror: " + request);
        };
        Condition condition = switch (request.condition()) {
            case IMAGE -> Condition.CONTRAST_IMAGE;
            case CONTRAST_IMAGE -> Condition.IMAGE;
            case BOTH_IMAGES_ANCHORED_TO_IMAGE -> Condition.BOTH_IMAGES_ANCHORED_TO_CONTRAST;
            case BOTH_IMAGES_ANCHORED_TO_CONTRAST -> Condition.BOTH_IMAGES_ANCHORED_TO_IMAGE;
            case NO_IMAGE -> Condition.NO_IMAGE;
            case CROPPED_IMAGE -> throw new IllegalArgumentException("a crop of m has no mirror: " + request);
        };
        return new Request(response, condition, request.masked());
    }
}
