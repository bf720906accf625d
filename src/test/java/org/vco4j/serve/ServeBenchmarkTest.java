package org.vco4j.serve;

import org.junit.jupiter.api.Test;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.testing.TinyWorld;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ServeBenchmarkTest {

    @Test
    void measuresBothRunsWithoutErrors() {
        List<ServeBenchmark.Result> results = ServeBenchmark.run(TinyWorld.checkpoint(), null, ParameterFactory.cpuFloat32(),
                new ServeBenchmark.Settings(2, Duration.ofSeconds(1), 3, 2));
        assertEquals(List.of(2, 1), results.stream().map(ServeBenchmark.Result::maxBatch).toList());
        for (ServeBenchmark.Result r : results) {
            assertEquals(0, r.errors());
            assertTrue(r.requests() > 0 && r.tokens() > 0 && r.tokens() <= 3L * r.requests(), r.toString());
            assertTrue(r.seconds() >= 1);
            for (int i = 0; i < r.requests(); i++) assertTrue(r.firstTokens()[i] <= r.latencies()[i]);
        }
        String table = ServeBenchmark.table(results);
        assertTrue(table.contains("batching on / off:"), table);
        assertEquals(4, table.lines().count(), table);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] values = {5, 1, 4, 2, 3};
        assertEquals(3, ServeBenchmark.percentile(values, 50));
        assertEquals(5, ServeBenchmark.percentile(values, 99));
        assertEquals(1, ServeBenchmark.percentile(values, 1));
        assertTrue(Double.isNaN(ServeBenchmark.percentile(new double[0], 50)));
    }
}
