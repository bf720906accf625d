package org.vco4j.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SampleBatchesTest {
    @TempDir
    Path folder;
    List<Sample> samples;

    @BeforeEach
    void samples() throws IOException {
        Path m = TestData.png(folder.resolve("m.png"), 2, 2, 0);
        samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) samples.add(Sample.preferencePair("s" + i, m, "Q?", "yes", List.of("no")));
    }

    private static List<String> ids(List<Sample> batch) {
        return batch.stream().map(Sample::id).toList();
    }

    @Test
    void everyEpochVisitsEverySampleOnceInItsOwnOrder() {
        SampleBatches batches = new SampleBatches(samples, 4, 3);
        assertEquals(3, batches.batchesPerEpoch());
        List<List<String>> epochs = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<String> seen = new ArrayList<>();
            for (int index = 0; index < 3; index++) {
                List<Sample> batch = batches.batch(new BatchPosition(epoch, index));
                assertEquals(index < 2 ? 4 : 2, batch.size(), "the last batch holds the rest");
                seen.addAll(ids(batch));
            }
            assertEquals(10, new HashSet<>(seen).size(), "each sample once per epoch");
            epochs.add(seen);
        }
        assertNotEquals(epochs.get(0), epochs.get(1), "shuffled per epoch");
        assertNotEquals(ids(samples), epochs.get(0), "shuffled, not file order");
        assertNotEquals(epochs.get(0), orderOfEpoch(new SampleBatches(samples, 4, 4), 0), "the seed matters");
    }

    private static List<String> orderOfEpoch(SampleBatches batches, int epoch) {
        List<String> seen = new ArrayList<>();
        for (int index = 0; index < batches.batchesPerEpoch(); index++) seen.addAll(ids(batches.batch(new BatchPosition(epoch, index))));
        return seen;
    }

    @Test
    void aResumedRunSeesTheSameBatches() {
        SampleBatches first = new SampleBatches(samples, 3, 9);
        List<List<String>> run = new ArrayList<>();
        BatchPosition position = BatchPosition.START;
        for (int step = 0; step < 13; step++) {
            run.add(ids(first.batch(position)));
            position = first.next(position);
        }
        assertEquals(new BatchPosition(3, 1), position, "4 batches per epoch, so 13 steps end in epoch 3");

        // A new process: only the saved position survives; visiting epochs out of order must not matter.
        SampleBatches resumed = new SampleBatches(samples, 3, 9);
        resumed.batch(new BatchPosition(7, 0));
        BatchPosition saved = resumed.position(6);
        assertEquals(new BatchPosition(1, 2), saved);
        for (int step = 6; step < 13; step++) {
            assertEquals(run.get(step), ids(resumed.batch(saved)), "step " + step);
            assertEquals(step, resumed.step(saved));
            saved = resumed.next(saved);
        }
    }

    @Test
    void positionsAreChecked() {
        SampleBatches batches = new SampleBatches(samples, 5, 0);
        assertThrows(IllegalArgumentException.class, () -> batches.batch(new BatchPosition(0, 2)));
        assertThrows(IllegalArgumentException.class, () -> new BatchPosition(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> batches.position(-1));
        assertThrows(IllegalArgumentException.class, () -> new SampleBatches(samples, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SampleBatches(List.of(), 1, 0));
        Set<String> all = new HashSet<>(ids(new SampleBatches(samples, 100, 0).batch(BatchPosition.START)));
        assertEquals(10, all.size(), "a batch larger than the data holds all of it");
    }
}
