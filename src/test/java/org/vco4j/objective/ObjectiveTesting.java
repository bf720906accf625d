package org.vco4j.objective;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.request.Request;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluates objectives on {@link LogProbValues}, each call inside its own pointer scope. */
final class ObjectiveTesting {
    private ObjectiveTesting() {}

    /** An objective from the registry with {@code settings} ("key=value" pairs) applied. */
    static Objective objective(String name, String... settings) {
        Objective objective = Objectives.create(name);
        for (String setting : settings) {
            String[] keyValue = setting.split("=", 2);
            objective.set(keyValue[0], keyValue[1]);
        }
        return objective;
    }

    static double loss(Objective objective, LogProbValues values) {
        try (PointerScope scope = new PointerScope()) {
            return objective.compute(values.table(objective)).loss().item_double();
        }
    }

    static Map<String, Double> metrics(Objective objective, LogProbValues values) {
        try (PointerScope scope = new PointerScope()) {
            return objective.compute(values.table(objective)).metrics();
        }
    }

    /** d loss / d policy log-prob, per request and sample, by autograd. */
    static Map<Request, double[]> gradients(Objective objective, LogProbValues values) {
        try (PointerScope scope = new PointerScope()) {
            Map<Request, Tensor> leaves = new LinkedHashMap<>();
            Tensor loss = objective.compute(values.table(objective, true, ScalarType.Double, leaves)).loss();
            loss.backward();
            Map<Request, double[]> gradients = new LinkedHashMap<>();
            leaves.forEach((request, leaf) -> {
                Tensor gradient = leaf.grad();
                gradients.put(request, gradient.defined() ? Metrics.doubles(gradient) : new double[values.batchSize()]);
            });
            return gradients;
        }
    }

    /** Autograd agrees with central finite differences for every policy log-prob. */
    static void assertGradientsMatchFiniteDifferences(Objective objective, LogProbValues values) {
        double step = 1e-5;
        Map<Request, double[]> gradients = gradients(objective, values);
        for (Request request : values.requests()) {
            for (int i = 0; i < values.batchSize(); i++) {
                double numeric = (loss(objective, values.shifted(request, i, step))
                        - loss(objective, values.shifted(request, i, -step))) / (2 * step);
                double analytic = gradients.get(request)[i];
                assertEquals(numeric, analytic, 1e-7 * Math.max(1, Math.abs(numeric)),
                        objective.name() + ": d loss / d lp(" + request + ") of sample " + i);
            }
        }
    }

    /** Every metric is a finite number. */
    static void assertFinite(Map<String, Double> metrics, String context) {
        metrics.forEach((name, value) -> assertTrue(Double.isFinite(value), context + ": metric " + name + " = " + value));
    }
}
