package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyData;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainingBenchmarkTest {
    @Test
    void measuresTheThreeSchemesWithTheirWorkAndMemory(@TempDir Path dir) throws Exception {
        TrainConfig config = TrainerTest.config(TinyData.contrastTuples(dir.resolve("data"), 4), dir.resolve("unused"), "s-vco");
        List<TrainingBenchmark.Result> results = TrainingBenchmark.run(config, 1, 1);
        assertEquals(List.of("live reference, no prefix sharing", "cached reference, no prefix sharing",
                "cached reference + prefix sharing"), results.stream().map(TrainingBenchmark.Result::scheme).toList());
        for (TrainingBenchmark.Result r : results) {
            assertTrue(r.samplesPerSecond() > 0 && r.flopsPerSample() > 0 && r.roofline() > 0, r.toString());
            assertTrue(r.peakBytes() > 0, "peak resident memory is read from /proc/self/status: " + r);
        }
        // The live scheme also runs the reference forward; sharing prefixes executes fewer products again.
        assertTrue(results.get(0).flopsPerSample() > results.get(1).flopsPerSample(), results.toString());
        assertTrue(results.get(1).flopsPerSample() > results.get(2).flopsPerSample(), results.toString());
        String table = TrainingBenchmark.table(results);
        assertTrue(table.contains("peak RSS") && table.contains("GB"), table);
    }
}
