package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyData;
import org.vco4j.train.distributed.DistributedContext;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code precision: bf16-mixed} (float32 master weights, bfloat16 products) tracks a float32 run. */
class MixedPrecisionTrainingTest {
    @Test
    void bf16MixedLossesTrackFloat32Over50Steps(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        TrainConfig fp32 = TrainerTest.config(data, dir.resolve("fp32"), "s-vco");
        TrainConfig mixed = TrainerTest.config(data, dir.resolve("mixed"), "s-vco");
        fp32.maxSteps = mixed.maxSteps = 50;
        fp32.saveSteps = mixed.saveSteps = 50;
        fp32.learningRate = mixed.learningRate = 2e-3;
        mixed.precision = "bf16-mixed";
        Training.run(fp32, DistributedContext.single(), false);
        Training.run(mixed, DistributedContext.single(), false);
        List<Double> expected = TrainerTest.trainingLosses(fp32.outputDir);
        List<Double> actual = TrainerTest.trainingLosses(mixed.outputDir);
        assertEquals(50, actual.size());
        double largest = 0;
        boolean differs = false;
        for (int i = 0; i < expected.size(); i++) {
            double gap = Math.abs(actual.get(i) - expected.get(i));
            largest = Math.max(largest, gap / Math.max(1, Math.abs(expected.get(i))));
            differs |= gap > 1e-6;
        }
        // The stated tolerance (docs/performance.md): every step within 2 % of the float32 loss (absolute below 1);
        // measured 0.3 % at this learning rate (at 5e-3 rounding differences grow to 7 % by step 30).
        assertTrue(largest < 0.02, "bf16-mixed strays " + largest + " from float32: " + expected + " vs " + actual);
        assertTrue(differs, "bf16-mixed gave float32's losses exactly: the products did not run in bfloat16");
        double first = (actual.get(0) + actual.get(1)) / 2;
        double last = (actual.get(48) + actual.get(49)) / 2;
        assertTrue(last < first, "bf16-mixed did not learn: " + actual);
        System.out.printf("bf16-mixed vs float32 over 50 steps: largest relative gap %.4f%n", largest);
    }
}
