package org.vco4j.train.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MetricsLogTest {
    private static MetricsRecord record(long step, double loss) {
        return MetricsRecord.builder(step, step / 10.0).loss(loss).build();
    }

    @Test
    void writesOneOrderedLinePerStepAndReadsItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        Map<String, Double> objective = new LinkedHashMap<>();
        objective.put("rewards/margins", 0.25);
        objective.put("logps/y|m", -42.5);
        MetricsRecord first = MetricsRecord.builder(1, 0.5).loss(0.6931).metrics(objective).learningRate(2e-5)
                .gradNorm(Double.NaN).throughput(12.5, 4096).put("tokens", 1234).put("phase", "train").put("clipped", true).build();
        try (MetricsLog log = MetricsLog.create(file)) {
            log.log(first);
            // Flushed per line: readable while the log is still open.
            assertEquals(List.of(first), MetricsLog.read(file));
            log.log(record(2, Double.POSITIVE_INFINITY));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertEquals("{\"step\":1,\"epoch\":0.5,\"loss\":0.6931,\"rewards/margins\":0.25,\"logps/y|m\":-42.5,"
                + "\"learning_rate\":2.0E-5,\"grad_norm\":NaN,\"samples_per_second\":12.5,\"tokens_per_second\":4096.0,"
                + "\"tokens\":1234,\"phase\":\"train\",\"clipped\":true}", lines.get(0));
        List<MetricsRecord> read = MetricsLog.read(file);
        assertEquals(first, read.get(0));
        assertEquals(1234L, read.get(0).values().get("tokens"));
        assertTrue(Double.isNaN(read.get(0).number(MetricsRecord.GRAD_NORM)));
        assertEquals(Double.POSITIVE_INFINITY, read.get(1).number(MetricsRecord.LOSS));
        assertTrue(Double.isNaN(read.get(0).number("phase")), "not a number");
    }

    @Test
    void resumeCutsEverythingAfterTheCheckpoint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        try (MetricsLog log = MetricsLog.create(file)) {
            for (int step = 1; step <= 8; step++) log.log(record(step, 1.0 / step));
        }
        try (MetricsLog log = MetricsLog.resume(file, 5)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.log(record(5, 0)));
            assertTrue(e.getMessage().contains("earliest step this log accepts now is 6"), e.getMessage());
            log.log(record(6, 0.5));
            log.log(record(6, 0.25));
            assertThrows(IllegalArgumentException.class, () -> log.log(record(5, 0)));
        }
        List<MetricsRecord> read = MetricsLog.read(file);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 6L), read.stream().map(MetricsRecord::step).toList());
        assertEquals(0.5, read.get(5).number("loss"));
        // Resuming before the first record empties the file; a missing file is started.
        try (MetricsLog log = MetricsLog.resume(file, 0)) {
            log.log(record(1, 9));
        }
        assertEquals(List.of(record(1, 9)), MetricsLog.read(file));
        try (MetricsLog log = MetricsLog.resume(dir.resolve("new.jsonl"), 3)) {
            log.log(record(4, 1));
        }
        assertEquals(1, MetricsLog.read(dir.resolve("new.jsonl")).size());
    }

    @Test
    void aTornLastLineIsDroppedAndAnUnterminatedOneKept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        Files.writeString(file, "{\"step\":1,\"epoch\":0.1,\"loss\":1.0}\n{\"step\":2,\"epoch\":0.2,\"lo");
        assertEquals(1, MetricsLog.read(file).size());
        try (MetricsLog log = MetricsLog.resume(file, 1)) {
            log.log(record(2, 0.5));
        }
        assertEquals(List.of("{\"step\":1,\"epoch\":0.1,\"loss\":1.0}", "{\"step\":2,\"epoch\":0.2,\"loss\":0.5}"),
                Files.readAllLines(file));

        Files.writeString(file, "{\"step\":1,\"epoch\":0.1,\"loss\":1.0}");
        try (MetricsLog log = MetricsLog.resume(file, 1)) {
            log.log(record(2, 0.5));
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void malformedLinesAreNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        Files.writeString(file, "{\"step\":1,\"epoch\":0.1}\n{\"epoch\":0.2}\n{\"step\":3,\"epoch\":0.3}\n");
        MetricsFormatException e = assertThrows(MetricsFormatException.class, () -> MetricsLog.read(file));
        assertTrue(e.getMessage().contains(file + ":2: no 'step' field"), e.getMessage());
        Files.writeString(file, "{\"step\":1,\"epoch\":0.1,\"x\":[1]}\n", StandardCharsets.UTF_8);
        e = assertThrows(MetricsFormatException.class, () -> MetricsLog.resume(file, 3));
        assertTrue(e.getMessage().contains(":1: field 'x'"), e.getMessage());
        Files.writeString(file, "{\"step\":1,\"step\":2}\n", StandardCharsets.UTF_8);
        assertThrows(MetricsFormatException.class, () -> MetricsLog.read(file));
        Files.writeString(file, "{\"step\":1} trailing\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        assertThrows(MetricsFormatException.class, () -> MetricsLog.read(file));
    }

    @Test
    void recordsRejectWhatCannotBeLogged() {
        assertThrows(IllegalArgumentException.class, () -> MetricsRecord.builder(1, 0).put("step", 3).build());
        assertThrows(IllegalArgumentException.class, () -> MetricsRecord.builder(1, 0).put("x", List.of(1)).build());
        assertThrows(IllegalArgumentException.class, () -> MetricsRecord.builder(-1, 0).build());
        assertEquals(3L, MetricsRecord.builder(1, 0).put("n", 3).build().values().get("n"));
        assertEquals(0.5, MetricsRecord.builder(1, 0).put("f", 0.5f).build().values().get("f"));
    }
}
