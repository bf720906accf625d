package org.vco4j.objective;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.request.Request;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An objective's named batch statistics, TRL style: {@code rewards/chosen}, {@code rewards/margins},
 * {@code loss/attend}, {@code logps/y|m}, ... Values are computed from detached tensors.
 */
final class Metrics {
    private final Map<String, Double> values = new LinkedHashMap<>();

    void put(String name, double value) {
        values.put(name, value);
    }

    /** The batch mean of {@code perSample}. */
    void mean(String name, Tensor perSample) {
        put(name, perSample.detach().to(ScalarType.Double).mean().item_double());
    }

    /** The fraction of samples where {@code perSample > 0}. */
    void fractionPositive(String name, Tensor perSample) {
        double[] values = doubles(perSample);
        int positive = 0;
        for (double value : values) if (value > 0) positive++;
        put(name, positive / (double) values.length);
    }

    /** The fraction of the selected samples where {@code perSample > 0}; nothing when none is selected. */
    void fractionPositive(String name, Tensor perSample, boolean[] include) {
        double[] values = doubles(perSample);
        int selected = 0;
        int positive = 0;
        for (int i = 0; i < values.length; i++) {
            if (!include[i]) continue;
            selected++;
            if (values[i] > 0) positive++;
        }
        if (selected > 0) put(name, positive / (double) selected);
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

    Map<String, Double> values() {
        return values;
    }

    /** The elements of a {@code [B]} tensor, detached, as doubles. */
    static double[] doubles(Tensor tensor) {
        Tensor flat = tensor.detach().cpu().to(ScalarType.Double).contiguous().reshape(-1);
        double[] out = new double[(int) flat.numel()];
        flat.data_ptr_double().capacity(out.length).get(out);
        return out;
    }
}
