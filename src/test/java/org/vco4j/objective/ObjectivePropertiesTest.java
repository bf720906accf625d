package org.vco4j.objective;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vco4j.request.Request;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vco4j.objective.ObjectiveTesting.assertFinite;
import static org.vco4j.objective.ObjectiveTesting.objective;

/** Properties every objective must have, in every setting that changes what it reads. */
class ObjectivePropertiesTest {
    /** Each objective at its defaults, and every flag or weight setting that changes its requests or terms. */
    static Stream<String> configurations() {
        return Stream.of(
                "sft", "sft both_pairs=true",
                "dpo", "dpo label_smoothing=0.2",
                "mdpo", "mdpo conditional_weight=0", "mdpo anchor_weight=0",
                "visdpo", "visdpo symmetric=false",
                "vco", "vco beta1=0", "vco beta2=0",
                "s-vco", "s-vco beta1=0 beta4=0", "s-vco beta3=0 beta4=0", "s-vco beta1=0.3 beta2=0.05",
                "ic-vco", "ic-vco vcdist=false", "ic-vco single_branch=false", "ic-vco anchors=false",
                "ic-vco gate=false", "ic-vco stop_gradient=false", "ic-vco token_mask=false", "ic-vco lambda1=0",
                "ic-vco lambda1=0 vcdist=false", "ic-vco lambda2=0", "ic-vco lambda2=0 gamma=0",
                "jompo", "jompo ranking=false", "jompo symmetry=false", "jompo no_image=false",
                "jompo ranking=false no_image=false", "jompo dpo_weight=0", "jompo vrpo_weight=0",
                "seva", "seva negatives=3", "seva negatives=3 multi_negative_form=eq18",
                "symmpo", "symmpo dpo_weight=0", "symmpo lambda=0", "symmpo lambda=0 margin_regularization=0",
                "symmpo anchor_weight=0");
    }

    private static Objective configured(String configuration) {
        String[] words = configuration.split(" ");
        return objective(words[0], Arrays.copyOfRange(words, 1, words.length));
    }

    @Test
    void configurationsCoverEveryRegisteredObjective() {
        Set<String> configured = configurations().map(c -> c.split(" ")[0]).collect(Collectors.toSet());
        assertEquals(new HashSet<>(Objectives.names()), configured);
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void declaresExactlyTheRequestsItReads(String configuration) {
        Objective objective = configured(configuration);
        List<Request> declared = objective.requests();
        assertEquals(declared.size(), new HashSet<>(declared).size(), "declared twice: " + declared);
        try (PointerScope scope = new PointerScope()) {
            LogProbTable table = LogProbValues.random(objective, 3, 1).table(objective);
            objective.compute(table);
            assertEquals(Set.copyOf(declared), table.readRequests(), configuration);
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void gradientsMatchFiniteDifferences(String configuration) {
        Objective objective = configured(configuration);
        // A stop-gradient makes autograd differ from the true derivative on purpose; IcVcoTest checks it.
        if (objective instanceof IcVco) objective.set("stop_gradient", "false");
        ObjectiveTesting.assertGradientsMatchFiniteDifferences(objective, LogProbValues.random(objective, 3, 2));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void marginsOfTenThousandNatsStayFinite(String configuration) {
        Objective objective = configured(configuration);
        LogProbValues values = LogProbValues.neutral(objective, 4);
        // every sign pattern over the requests: log-ratios of ±1e4 in float32, the training dtype
        List<Request> requests = values.requests();
        for (int i = 0; i < 4; i++) {
            for (int r = 0; r < requests.size(); r++) {
                double sign = ((r + i) % 2 == 0) == (i < 2) ? 1 : -1;
                values.set(requests.get(r).name(), i, -1e4 + sign * 1e4, -1e4);
            }
        }
        for (ScalarType dtype : List.of(ScalarType.Float, ScalarType.Double)) {
            try (PointerScope scope = new PointerScope()) {
                Map<Request, Tensor> leaves = new LinkedHashMap<>();
                ObjectiveOutput output = objective.compute(values.table(objective, true, dtype, leaves));
                double loss = output.loss().item_double();
                assertTrue(Double.isFinite(loss), configuration + " " + dtype + ": loss " + loss);
                assertFinite(output.metrics(), configuration);
                output.loss().backward();
                for (Map.Entry<Request, Tensor> leaf : leaves.entrySet()) {
                    if (!leaf.getValue().grad().defined()) continue;
                    for (double gradient : Metrics.doubles(leaf.getValue().grad())) {
                        assertTrue(Double.isFinite(gradient), configuration + ": gradient of " + leaf.getKey());
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void anEmptyTokenSumIsAnErrorNamingTheSample(String configuration) {
        Objective objective = configured(configuration);
        for (Request request : objective.requests()) {
            LogProbValues values = LogProbValues.random(objective, 3, 3).id(1, "cat-on-mat").tokens(request.name(), 1, 0);
            try (PointerScope scope = new PointerScope()) {
                IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                        () -> objective.compute(values.table(objective)));
                assertTrue(error.getMessage().contains("'cat-on-mat' (index 1)"), error.getMessage());
                assertTrue(error.getMessage().contains(request.name()), error.getMessage());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void metricsAreFiniteAndNameEveryRequest(String configuration) {
        Objective objective = configured(configuration);
        Map<String, Double> metrics = ObjectiveTesting.metrics(objective, LogProbValues.random(objective, 5, 4));
        assertFinite(metrics, configuration);
        assertTrue(metrics.keySet().stream().anyMatch(name -> name.startsWith("loss/")), configuration + ": " + metrics.keySet());
        for (Request request : objective.requests()) assertTrue(metrics.containsKey("logps/" + request.name()), request.name());
    }
}
