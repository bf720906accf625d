package org.vco4j.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco demo --quick}: every stage runs and every reported number is finite (not who wins). */
class DemoQuickTest {
    @Test
    void everyStageRunsAndEveryNumberIsFinite(@TempDir Path dir) throws Exception {
        DemoResult result = new Demo(DemoSettings.quick(dir, 3)).run();
        assertEquals(List.of("world", "base", "data", "methods", "eval", "report"), List.copyOf(result.stageSeconds().keySet()));
        assertEquals("base", result.models().get(0));
        for (Demo.Method method : Demo.METHODS) {
            assertTrue(result.metrics().containsKey(method.name()), method.name() + " is neither trained nor reported skipped");
        }
        int evaluated = 0;
        for (Map.Entry<String, Map<String, Double>> model : result.metrics().entrySet()) {
            if (model.getValue().isEmpty()) {
                assertEquals("SeVa", model.getKey(), "only SeVa may be skipped (when its data builder keeps no pair)");
                continue;
            }
            evaluated++;
            for (DemoReport.Column column : DemoReport.RECORDED_COLUMNS) {
                Double value = model.getValue().get(column.key());
                assertNotNull(value, model.getKey() + " lacks " + column.key());
                if (!column.key().startsWith("chair/chair_i")) {
                    assertTrue(Double.isFinite(value), model.getKey() + " " + column.key() + " = " + value);
                }
            }
        }
        assertTrue(evaluated >= 8, "base and at least seven methods evaluated");
        String report = Files.readString(result.report());
        assertTrue(report.contains("| S-VCO |") && report.contains("| IC-VCO |") && report.contains("training-loss.png"));
        assertTrue(Files.isRegularFile(dir.resolve("report-assets/training-loss.png")));
        assertTrue(result.table().lines().count() >= 9);
        assertTrue(report.contains("### Neglect by contrast type"), "the per-type neglect table is in the report");
        assertTrue(report.contains("### With and without the image") && report.contains("| random, no image |"),
                "POPE without the image is in the report");
        for (String type : DemoReport.CONTRAST_TYPES) {
            Double value = result.metrics().get("base").get("neglect/" + type + "/match_below_mismatch");
            assertNotNull(value, "base lacks the " + type + " neglect rate");
            assertTrue(value >= 0 && value <= 1, type + " = " + value);
        }
    }
}
