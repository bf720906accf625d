package org.vco4j.score;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hundreds of forward + backward steps must not grow resident memory: every native tensor of a step
 * belongs to the step's pointer scope. (Without scopes the same loop grows by megabytes every few steps.)
 */
class NativeMemoryTest {
    private static final int WARMUP = 60;
    private static final int STEPS = 300;

    @Test
    void residentMemoryStaysFlatOverManySteps() throws IOException {
        try (PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32())) {
            Scorer scorer = new Scorer(vlm.model(), vlm.processor());
            List<ScoreRequest> requests = ScorerTest.mixedBatch();
            vlm.model().module().requiresGrad(true);
            long afterWarmup = 0;
            for (int step = 0; step < WARMUP + STEPS; step++) {
                try (PointerScope scope = new PointerScope()) {
                    scorer.score(requests, step % 2 == 0).logps().sum().backward();
                    for (Tensor p : vlm.model().module().namedParameters().values()) if (p.grad().defined()) p.grad().zero_();
                }
                if (step == WARMUP - 1) afterWarmup = residentKilobytes();
            }
            long growth = residentKilobytes() - afterWarmup;
            System.out.printf("resident memory growth over %d steps: %d kB%n", STEPS, growth);
            assertTrue(growth < 48 * 1024, "resident memory grew by " + growth + " kB over " + STEPS + " steps");
        }
    }

    static long residentKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
