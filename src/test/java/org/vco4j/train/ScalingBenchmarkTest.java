package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.model.ModelFamilies;
import org.vco4j.testing.TinyData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ScalingBenchmarkTest {
    @Test
    void eachAxisGrowsTheWorkItShould(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path tiny = dir.resolve("tiny");
        Path tiny64 = dir.resolve("tiny-64");
        ModelFamilies.named("llava").writeTiny(tiny, "tiny", 11, false);
        ModelFamilies.named("llava").writeTiny(tiny64, "tiny-64", 11, false);
        TrainConfig config = TrainerTest.config(data, dir.resolve("unused"), "s-vco");
        AtomicInteger measured = new AtomicInteger();
        List<ScalingBenchmark.Point> points = ScalingBenchmark.run(config,
                new ScalingBenchmark.Grid(List.of(tiny, tiny64), List.of(1, 3), List.of(1, 2), List.of("s-vco", "sft")), 1, 0,
                measured::incrementAndGet);
        assertEquals(8, points.size(), "two values on each of four axes");
        assertEquals(5, measured.get(), "the shared base point is measured once");
        assertEquals(List.of("16 (tiny)", "64 (tiny-64)"), points.subList(0, 2).stream().map(ScalingBenchmark.Point::value).toList());
        // More image tokens, longer responses and more requests per sample each cost more operations per sample;
        // a larger batch does not.
        assertTrue(points.get(1).result().flopsPerSample() > points.get(0).result().flopsPerSample(), points.toString());
        assertTrue(points.get(3).result().flopsPerSample() > 1.5 * points.get(2).result().flopsPerSample(), points.toString());
        assertEquals(points.get(4).result().flopsPerSample(), points.get(5).result().flopsPerSample(),
                0.35 * points.get(4).result().flopsPerSample(), points.toString());
        assertTrue(points.get(6).result().flopsPerSample() > 2 * points.get(7).result().flopsPerSample(), "S-VCO scores six requests, SFT one");
        for (ScalingBenchmark.Point p : points) assertTrue(p.result().peakBytes() > 0 && p.result().secondsPerStep() > 0, p.toString());
        String table = ScalingBenchmark.table(points);
        assertTrue(table.contains("response length") && table.contains("×3") && table.contains("peak RSS"), table);
        try (Stream<Path> left = Files.list(data.getParent())) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".vco-scale")), "the longer copy is deleted");
        }
    }

    @Test
    void repeatedResponsesKeepImagesAndMasks(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 2);
        Path longer = ScalingBenchmark.repeatedResponses(data, 2);
        List<Sample> before = SampleReader.read(data), after = SampleReader.read(longer);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).images(), after.get(i).images());
            assertEquals(before.get(i).masks(), after.get(i).masks());
            String y = before.get(i).responses().get(0);
            assertEquals(y + " " + y, after.get(i).responses().get(0));
        }
    }
}
