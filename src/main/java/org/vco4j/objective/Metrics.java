package org.vco4j.objective;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.request.Request;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An objective's named batch statistics, TRL style: {@code rewards/chosen}, {@code rewards/margins},
 * {@code loss/attend}, {@code logps/y|m}, ... Values are computed from detached tensors, on the tensors' device,
 * and read into Java together, once, by {@link #values()}: one host round trip per batch however many there are.
 */
final class Metrics {
    private final Map<String, Object> values = new LinkedHashMap<>(); // Double, or a float64 scalar tensor to read

    void put(String name, double value) {
        values.put(name, value);
    }

    /** The value of a one-element tensor, read with the others. */
    void scalar(String name, Tensor value) {
        values.put(name, value.detach().to(ScalarType.Double).reshape(1));
    }

    /** The batch mean of {@code perSample}. */
    void mean(String name, Tensor perSample) {
        scalar(name, perSample.detach().to(ScalarType.Double).mean());
    }

    /** The fraction of samples where {@code perSample > 0}. */
    void fractionPositive(String name, Tensor perSample) {
        scalar(name, perSample.detach().gt(new Scalar(0)).to(ScalarType.Double).mean());
    }

    /** The fraction of the selected samples where {@code perSample > 0}; nothing when none is selected. */
    void fractionPositive(String name, Tensor perSample, boolean[] include) {
        float[] selection = new float[include.length];
        int selected = 0;
        for (int i = 0; i < include.length; i++) {
            if (include[i]) {
                selection[i] = 1;
                selected++;
            }
        }
        if (selected == 0) return;
        Tensor positive = perSample.detach().gt(new Scalar(0)).to(ScalarType.Double);
        Tensor mask = Tensors.upload(Tensors.floats(selection), positive.device(), ScalarType.Double);
        scalar(name, positive.mul(mask).sum().div(new Scalar((double) selected)));
    }

    /** TRL's reward metrics for rewards {@code r = β·ρ} of chosen and rejected responses. */
    void rewards(Tensor chosenReward, Tensor rejectedReward) {
        Tensor margin = chosenReward.sub(rejectedReward);
        mean("rewards/chosen", chosenReward);
        mean("rewards/rejected", rejectedReward);
        mean("rewards/margins", margin);
        fractionPositive("rewards/accuracies", margin);
    }

    /** TRL's DPO metrics: {@link #rewards} and {@link #chosenAndRejectedLogps}. */
    void preference(Tensor chosenReward, Tensor rejectedReward, Tensor chosenPolicy, Tensor rejectedPolicy) {
        rewards(chosenReward, rejectedReward);
        chosenAndRejectedLogps(chosenPolicy, rejectedPolicy);
    }

    /** TRL's {@code logps/chosen} and {@code logps/rejected}. */
    void chosenAndRejectedLogps(Tensor chosenPolicy, Tensor rejectedPolicy) {
        mean("logps/chosen", chosenPolicy);
        mean("logps/rejected", rejectedPolicy);
    }

    /** {@code logps/<request>}: the mean policy log-prob of every request read so far. */
    void logps(LogProbTable table) {
        for (Request request : table.readRequests()) mean("logps/" + request.name(), table.policy(request));
    }

    /** Every value, in the order first put; the tensors' values are read in one host round trip. */
    Map<String, Double> values() {
        List<Tensor> pending = new ArrayList<>();
        for (Object value : values.values()) if (value instanceof Tensor tensor) pending.add(tensor);
        double[] read = pending.isEmpty() ? new double[0] : Tensors.toDoubleArray(Tensors.cat(pending, 0));
        Map<String, Double> out = new LinkedHashMap<>();
        int next = 0;
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            out.put(entry.getKey(), entry.getValue() instanceof Double value ? value : read[next++]);
        }
        return out;
    }

    /** The elements of a {@code [B]} tensor, detached, as doubles (a host round trip of its own). */
    static double[] doubles(Tensor tensor) {
        return Tensors.toDoubleArray(tensor);
    }
}
