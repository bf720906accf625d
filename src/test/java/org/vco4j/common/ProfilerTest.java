package org.vco4j.common;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Stage times are exclusive: nested stages count only for themselves, so the stages add up to the whole. */
class ProfilerTest {

    @Test
    void nestedStagesAreExclusive() throws Exception {
        Profiler.enable(true);
        try {
            long start = System.nanoTime();
            Profiler.time("outer", () -> {
                sleep(30);
                Profiler.time("inner", () -> sleep(50));
                sleep(20);
            });
            double whole = (System.nanoTime() - start) / 1e9;
            Map<String, Double> seconds = Profiler.seconds();
            assertEquals(2, seconds.size());
            assertTrue(seconds.get("inner") >= 0.05, seconds.toString());
            assertTrue(seconds.get("outer") >= 0.05, seconds.toString());
            assertTrue(seconds.get("outer") + seconds.get("inner") <= whole, "never counted twice: " + seconds + " of " + whole);
            assertTrue(seconds.get("outer") <= whole - seconds.get("inner"), "outer excludes inner: " + seconds);
        } finally {
            Profiler.enable(false);
        }
        Profiler.time("off", () -> sleep(1));
        assertTrue(Profiler.seconds().isEmpty(), "nothing is recorded while off");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
