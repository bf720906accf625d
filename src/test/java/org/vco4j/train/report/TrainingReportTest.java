package org.vco4j.train.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class TrainingReportTest {
    private static Path logRun(Path dir, int steps) throws Exception {
        Path file = dir.resolve(MetricsLog.FILE_NAME);
        try (MetricsLog log = MetricsLog.create(file)) {
            for (int step = 1; step <= steps; step++) {
                Map<String, Double> objective = new LinkedHashMap<>();
                objective.put("loss/attend", 1.0 / step);
                objective.put("rewards/chosen", 0.1 * step);
                objective.put("rewards/rejected", -0.1 * step);
                objective.put("rewards/margins", 0.2 * step);
                objective.put("rewards/accuracies", step % 2 == 0 ? 1.0 : 0.5);
                objective.put("logps/y|m", -40.0 + step);
                objective.put("vcdist/active", 0.5);
                MetricsRecord.Builder b = MetricsRecord.builder(step, step / 4.0).loss(2.0 / step).metrics(objective)
                        .learningRate(1e-5).gradNorm(step == 3 ? Double.NaN : 1.5).throughput(8, 2048);
                if (step % 5 == 0) b.put("eval/pope_accuracy", 0.6 + step / 100.0).put("phase", "eval");
                log.log(b.build());
            }
        }
        return file;
    }

    @Test
    void writesSettingsMetricsAndLinkedCharts(@TempDir Path dir) throws Exception {
        Path metrics = logRun(dir, 20);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("objective", "s-vco");
        settings.put("learning_rate", 2e-5);
        settings.put("note", "a|b");
        Path report = TrainingReport.write(metrics, "Run demo", settings);
        assertEquals(dir.resolve(TrainingReport.FILE_NAME).toAbsolutePath(), report);
        String md = Files.readString(report);

        assertTrue(md.startsWith("# Run demo\n"), md);
        assertTrue(md.contains("20 logged steps, from step 1 to step 20 (epoch 5)"), md);
        assertTrue(md.contains("| learning_rate | 2e-5 |"), md);
        assertTrue(md.contains("| note | a\\|b |"), "pipes escaped: " + md);
        assertTrue(md.contains("| logps/y\\|m | -20 |"), md);
        // Loss decreases, so its best is the last step; accuracies alternate, so the smoothed best is late too.
        assertTrue(md.contains("| loss | 0.1 | "), md);
        assertTrue(Pattern.compile("\\| loss \\| 0\\.1 \\| [0-9.]+ \\| 0\\.1[0-9]* \\| 20 \\|").matcher(md).find(), md);
        assertTrue(md.contains("| grad_norm | 1.5 | 1.5 |  |  |"), md);
        assertFalse(md.contains("| phase "), "strings are not metrics");

        List<String> links = new ArrayList<>();
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        while (m.find()) links.add(m.group(1));
        assertEquals(List.of("plots/loss.png", "plots/rewards.png", "plots/margins.png", "plots/accuracies.png",
                "plots/logps.png", "plots/vcdist.png", "plots/eval.png", "plots/learning_rate.png", "plots/grad_norm.png",
                "plots/samples_per_second.png", "plots/tokens_per_second.png"), links);
        for (String link : links) {
            assertNotNull(ImageIO.read(dir.resolve(link).toFile()), link);
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void groupsMetricsIntoFamilies() {
        MetricsRecord r = MetricsRecord.builder(1, 0).loss(1).metrics(Map.of("multi/accuracies_first", 1.0))
                .put("single/margins", 0.1).put("rewards/chosen", 1.0).put("rewards/margins", 2.0).put("loss/anchor", 0.3)
                .put("learning_rate", 1e-5).put("nll/y|m", 2.0).build();
        Map<String, List<String>> families = TrainingReport.families(List.of(r));
        assertEquals(List.of("loss", "rewards", "margins", "accuracies", "nll", "learning_rate"), List.copyOf(families.keySet()));
        assertEquals(List.of("loss", "loss/anchor"), families.get("loss"));
        assertEquals(List.of("single/margins", "rewards/margins"), families.get("margins"));
        assertEquals(MetricFamily.Direction.LOWER, MetricFamily.direction("nll/y|m"));
        assertEquals(MetricFamily.Direction.HIGHER, MetricFamily.direction("eval/pope_accuracy"));
        assertEquals(MetricFamily.Direction.NONE, MetricFamily.direction("rewards/chosen"));
        assertEquals("odd_name", MetricFamily.of("Odd Name/x").key());
    }

    @Test
    void smoothingGrowsWithTheRun() throws Exception {
        List<MetricsRecord> short10 = new ArrayList<>();
        List<MetricsRecord> long400 = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            MetricsRecord r = MetricsRecord.builder(i, 0).loss(1).learningRate(1).build();
            if (i <= 10) short10.add(r);
            long400.add(r);
        }
        assertEquals(0, TrainingReport.smoothing(short10, List.of("loss")));
        assertEquals(0.9, TrainingReport.smoothing(long400, List.of("loss")), 1e-12);
        assertEquals(0, TrainingReport.smoothing(long400, List.of("learning_rate")), "a schedule is not noisy");
    }

    @Test
    void anEmptyLogStillGivesAReport(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve(MetricsLog.FILE_NAME);
        Files.createFile(metrics);
        String md = Files.readString(TrainingReport.write(metrics, Map.of()));
        assertTrue(md.contains("Nothing has been logged yet"), md);
        assertTrue(md.contains("No numeric metrics were logged."), md);
        assertFalse(Files.exists(dir.resolve(TrainingReport.PLOTS)));
    }
}
