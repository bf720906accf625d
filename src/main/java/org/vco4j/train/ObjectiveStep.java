package org.vco4j.train;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.data.MdpoCrop;
import org.vco4j.data.Sample;
import org.vco4j.objective.Condition;
import org.vco4j.objective.LogProbTable;
import org.vco4j.objective.Objective;
import org.vco4j.objective.ObjectiveOutput;
import org.vco4j.objective.Request;
import org.vco4j.score.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private final MdpoCrop crops;

    /** @param crops where mDPO's crops live; null unless the objective reads {@code m_crop} */
    public ObjectiveStep(Objective objective, Scorer policy, ReferenceLogps reference, boolean sharePrefixes, MdpoCrop crops) {
        this.objective = objective;
        this.policy = policy;
        this.reference = reference;
        this.sharePrefixes = sharePrefixes;
        this.crops = crops;
    }

    /** The loss and metrics of one batch, and how many response tokens the policy scored. */
    public record Result(ObjectiveOutput output, long tokens, List<String> sampleIds) {}

    /** The score requests of a batch: sample-major, the objective's requests in declared order. */
    public List<ScoreRequest> scoreRequests(List<Sample> samples, boolean[] swapped) {
        List<ScoreRequest> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            for (Request request : objective.requests()) {
                Path crop = request.condition() == Condition.CROPPED_IMAGE ? crop(sample) : null;
                out.add(RequestBuilder.build(sample, request, swapped[i], crop));
            }
        }
        return out;
    }

    public Result run(List<Sample> samples, boolean[] swapped) {
        List<Request> requests = objective.requests();
        List<ScoreRequest> scoreRequests = scoreRequests(samples, swapped);
        ScoredBatch scored = policy.score(scoreRequests, sharePrefixes);
        float[] referenceValues = new float[scoreRequests.size()];
        if (objective.usesReference()) {
            double[] values = reference.logps(scoreRequests);
            for (int i = 0; i < values.length; i++) referenceValues[i] = (float) values[i];
        }
        int b = samples.size();
        int r = requests.size();
        List<String> ids = samples.stream().map(Sample::id).toList();
        LogProbTable.Builder table = LogProbTable.builder(objective, ids).swapped(swapped);
        long tokens = 0;
        for (long t : scored.tokens()) tokens += t;
        for (int k = 0; k < r; k++) {
            long[] rows = new long[b];
            float[] referenceColumn = new float[b];
            float[] tokenColumn = new float[b];
            for (int i = 0; i < b; i++) {
                rows[i] = (long) i * r + k;
                referenceColumn[i] = referenceValues[i * r + k];
                tokenColumn[i] = scored.tokens()[i * r + k];
            }
            Tensor index = Tensors.longs(rows).to(scored.logps().device(), org.bytedeco.pytorch.global.torch.ScalarType.Long);
            Tensor device = scored.logps();
            table.put(requests.get(k), scored.logps().index_select(0, index),
                    Tensors.floats(referenceColumn).to(device.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float),
                    Tensors.floats(tokenColumn).to(device.device(), org.bytedeco.pytorch.global.torch.ScalarType.Float));
        }
        return new Result(objective.compute(table.build()), tokens, ids);
    }

    private Path crop(Sample sample) {
        if (crops == null) throw new IllegalStateException("objective " + objective.name() + " reads m_crop but no crop folder is set");
        try {
            return crops.cropFor(sample);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the crop of sample '" + sample.id() + "'", e);
        }
    }
}
