package org.vco4j.train;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.data.Sample;
import org.vco4j.objective.LogProbTable;
import org.vco4j.objective.Objective;
import org.vco4j.objective.ObjectiveOutput;
import org.vco4j.request.Request;
import org.vco4j.request.RequestBuilder;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;

import java.util.List;

/**
 * One batch of samples through the pipeline of DESIGN.md: the objective's requests become score requests,
 * the policy scores them (with autograd under the caller's mode), the reference values come from
 * {@link ReferenceLogps}, and the objective turns the table into a loss and metrics.
 */
public final class ObjectiveStep {
    private final Objective objective;
    private final Scorer policy;
    private final ReferenceLogps reference;
    private final boolean sharePrefixes;
    private final RequestBuilder requests;

    /** @param requests builds the objective's requests for the run's samples (see {@link RequestBuilder#prepare}) */
    public ObjectiveStep(Objective objective, Scorer policy, ReferenceLogps reference, boolean sharePrefixes, RequestBuilder requests) {
        this.objective = objective;
        this.policy = policy;
        this.reference = reference;
        this.sharePrefixes = sharePrefixes;
        this.requests = requests;
    }

    /** The loss and metrics of one batch, and how many response tokens the policy scored. */
    public record Result(ObjectiveOutput output, long tokens, List<String> sampleIds) {}

    /** The score requests of a batch: sample-major, the objective's requests in declared order. */
    public List<ScoreRequest> scoreRequests(List<Sample> samples, boolean[] swapped) {
        return requests.build(samples, swapped);
    }

    public Result run(List<Sample> samples, boolean[] swapped) {
        List<Request> requests = objective.requests();
        List<ScoreRequest> scoreRequests = scoreRequests(samples, swapped);
        // The reference first: a live one then runs before the policy's graph holds its activations (less memory in
        // use, faster on the CPU); its values do not depend on the order.
        float[] referenceValues = new float[scoreRequests.size()];
        if (objective.usesReference()) {
            double[] values = reference.logps(scoreRequests);
            for (int i = 0; i < values.length; i++) referenceValues[i] = (float) values[i];
        }
        ScoredBatch scored = policy.score(scoreRequests, sharePrefixes);
        int b = samples.size();
        int r = requests.size();
        List<String> ids = samples.stream().map(Sample::id).toList();
        LogProbTable.Builder table = LogProbTable.builder(objective, ids).swapped(swapped);
        long tokens = 0;
        for (long t : scored.tokens()) tokens += t;
        for (int k = 0; k < r; k++) {
            long[] rows = new long[b];
            float[] referenceColumn = new float[b];
            long[] tokenColumn = new long[b];
            for (int i = 0; i < b; i++) {
                rows[i] = (long) i * r + k;
                referenceColumn[i] = referenceValues[i * r + k];
                tokenColumn[i] = scored.tokens()[i * r + k];
            }
            Tensor index = Tensors.upload(Tensors.longs(rows), scored.logps().device(), org.bytedeco.pytorch.global.torch.ScalarType.Long);
            Tensor device = scored.logps();
            table.put(requests.get(k), scored.logps().index_select(0, index),
                    Tensors.upload(Tensors.floats(referenceColumn), device.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float),
                    tokenColumn);
        }
        return new Result(objective.compute(table.build()), tokens, ids);
    }

}
