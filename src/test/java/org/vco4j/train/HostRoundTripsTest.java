package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;
import org.vco4j.testing.TinyData;
import org.vco4j.train.distributed.DistributedContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A training step reads values back from the device only where it must (docs/performance.md, "Host round
 * trips"): on a GPU every read waits for the queued work, so a read per parameter or per metric would stall each
 * step many times. Counted on the CPU through {@link Tensors#hostReads}, which every read into Java goes through.
 */
class HostRoundTripsTest {
    /** Host reads made during each step (the listener runs after the step, before the next one starts). */
    private static List<Long> readsPerStep(TrainConfig config) throws Exception {
        List<Long> reads = new ArrayList<>();
        TrainingListener counter = new TrainingListener() {
            long before = -1;

            @Override public void onTrainBegin(TrainerState state) { before = Tensors.hostReads(); }

            @Override
            public void onStepEnd(StepEnd step) {
                long now = Tensors.hostReads();
                reads.add(now - before);
                before = now;
            }
        };
        try (TrainingRun run = new TrainingRun(config, DistributedContext.single())) {
            new Trainer(Trainer.Settings.of(config), run.objective(), run.step(), run.policy(), run.optimizer(),
                    run.schedule(), run.batches(), run.validation(), run.distributed(), () -> "none", List.of(counter))
                    .train(run.freshState());
        }
        return reads;
    }

    @Test
    void aCachedReferenceStepReadsTheLossTheMetricsAndTheGradientNormOnce(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        for (boolean sharing : new boolean[] {true, false}) {
            TrainConfig config = TrainerTest.config(data, dir.resolve("run-" + sharing), "s-vco");
            config.maxSteps = 6;
            config.prefixSharing = sharing;
            config.maxGradNorm = 1.0;
            List<Long> reads = readsPerStep(config);
            // Steps 1-2 (the first epoch) fill the reference cache as they go; from then on every step is alike.
            for (long n : reads.subList(2, reads.size())) {
                assertEquals(3, n, "host reads per step (loss, metrics, gradient norm), prefix sharing " + sharing + ": " + reads);
            }
        }
    }

    @Test
    void aLiveReferenceAddsItsOwnValuesAndTheirCheck(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        TrainConfig config = TrainerTest.config(data, dir.resolve("run"), "s-vco");
        config.maxSteps = 3;
        config.liveReference = true;
        config.maxGradNorm = 1.0;
        for (long n : readsPerStep(config)) assertEquals(5, n, "loss, metrics, gradient norm, reference values and their finiteness check");
    }
}
