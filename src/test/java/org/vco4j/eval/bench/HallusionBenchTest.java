package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** HallusionBench's reader, correctness codes and aAcc / fAcc / qAcc, against hand-computed values. */
class HallusionBenchTest {

    @Test
    void correctnessCodesFollowTheRuleAndTheReferenceJudgeParse() {
        assertEquals("1", HallusionBench.ruleCorrectness("1", "Yes, it is."));
        assertEquals("0", HallusionBench.ruleCorrectness("0", "yes"));
        assertEquals("1", HallusionBench.ruleCorrectness("0", "No."));
        assertEquals("2", HallusionBench.ruleCorrectness("1", "Yes and no."), "both words: unclear");
        assertEquals("2", HallusionBench.ruleCorrectness("1", "I am not sure"));
        assertEquals("0", HallusionBench.judgedCorrectness("The prediction is incorrect."));
        assertEquals("1", HallusionBench.judgedCorrectness("Correct"));
        assertEquals("2", HallusionBench.judgedCorrectness("unclear"));
    }

    @Test
    void accuraciesPerQuestionFigureAndPair(@TempDir Path dir) throws Exception {
        HallusionBench bench = HallusionBench.read(BenchmarkFixtures.hallusion(dir), null, null, 0, null);
        List<BenchmarkItem> items = bench.items();
        assertNull(items.get(4).image(), "visual_input 0: asked without an image");
        assertTrue(items.get(4).context().images().isEmpty());
        assertEquals(dir.resolve("hallusion_bench/VD/ocr/0_1.png").toAbsolutePath().normalize(), items.get(1).image().toAbsolutePath().normalize());
        // codes 1, 0, 1, 1, 2 (a VS question without its figure: unclear counts as right), 1
        Map<String, Double> m = bench.score(Map.of("0", "Yes, it is.", "1", "Yes", "2", "No.", "3", "yes", "4", "I am not sure", "5", "Yes"), dir);
        assertEquals(500.0 / 6, m.get("hallusion/aacc"), 1e-9);
        assertEquals(200.0 / 3, m.get("hallusion/facc"), 1e-9, "figures VD 0 right, VD 1 wrong, VS 1 right; VS figure 0 is no figure");
        assertEquals(200.0 / 3, m.get("hallusion/qacc"), 1e-9, "pairs VD q0 wrong, VD q1 right, VS q0 right");
        assertEquals(100.0, m.get("hallusion/easy_qacc"), 1e-9);
        assertEquals(200.0 / 3, m.get("hallusion/hard_qacc"), 1e-9);
        assertEquals(75.0, m.get("hallusion/vd/aacc"), 1e-9);
        assertEquals(100.0, m.get("hallusion/vs/aacc"), 1e-9);
        // evaluation.py's per-category tables: VD figures 0 (both right) and 1 (one of two right); VS figure 1 right.
        assertEquals(50.0, m.get("hallusion/vd/facc"), 1e-9);
        assertEquals(50.0, m.get("hallusion/vd/figure_wrong"), 1e-9);
        assertEquals(0.75, m.get("hallusion/vd/figure_score"), 1e-9);
        assertEquals(50.0, m.get("hallusion/vd/qacc"), 1e-9);
        assertEquals(100.0, m.get("hallusion/vd/easy_qacc"), 1e-9);
        assertEquals(50.0, m.get("hallusion/vd/hard_qacc"), 1e-9);
        assertEquals(100.0, m.get("hallusion/vs/facc"), 1e-9);
        assertEquals(100.0 / 3, m.get("hallusion/figure_wrong"), 1e-9);
        assertEquals(2.5 / 3, m.get("hallusion/figure_score"), 1e-9);
        String result = Files.readString(dir.resolve("HallusionBench_result.json"));
        assertTrue(result.contains("\"model_prediction\" : \"I am not sure\"") && result.contains("\"gpt4v_output_gpt_check\" : \"2\""), result);
    }

    @Test
    void subcategoriesAreScoredApartAndTabledInTheSummary(@TempDir Path dir) throws Exception {
        // VD_ocr: one pair over two figures; VD_math: one pair over two figures; VS_chart: a question without and with its figure.
        Path file = BenchmarkFixtures.hallusion(dir, new String[][] {{"VD", "ocr", "1", "0", "0", "1"}, {"VD", "ocr", "2", "1", "0", "0"},
                {"VD", "math", "1", "0", "0", "0"}, {"VD", "math", "2", "1", "0", "1"}, {"VS", "chart", "0", "0", "0", "1"},
                {"VS", "chart", "1", "1", "0", "1"}});
        HallusionBench bench = HallusionBench.read(file, null, null, 0, null);
        // ocr: right, right; math: right, wrong; chart: wrong (a clear "no" without the figure), right.
        Map<String, Double> m = bench.score(Map.of("0", "Yes", "1", "No", "2", "No", "3", "No", "4", "No", "5", "Yes"), dir);
        assertEquals(100.0, m.get("hallusion/VD_ocr/aacc"), 1e-9);
        assertEquals(100.0, m.get("hallusion/VD_ocr/qacc"), 1e-9);
        assertEquals(50.0, m.get("hallusion/VD_math/aacc"), 1e-9);
        assertEquals(50.0, m.get("hallusion/VD_math/facc"), 1e-9);
        assertEquals(0.0, m.get("hallusion/VD_math/qacc"), 1e-9);
        assertEquals(50.0, m.get("hallusion/VS_chart/aacc"), 1e-9);
        assertEquals(100.0, m.get("hallusion/VS_chart/facc"), 1e-9, "figure 0 of a VS question is no figure");
        assertEquals(0.0, m.get("hallusion/VS_chart/qacc"), 1e-9);
        assertEquals(2.0, m.get("hallusion/VD_math/questions"));
        assertEquals(75.0, m.get("hallusion/vd/aacc"), 1e-9);
        assertEquals(50.0, m.get("hallusion/vd/qacc"), 1e-9);

        String tables = bench.summaryTables(m);
        assertTrue(tables.contains("| VD | 100.0000 | 50.0000 | 50.0000 |"), tables);
        assertTrue(tables.contains("| VS | 0.0000 | 100.0000 | 0.0000 |"), tables);
        assertTrue(tables.contains("| per figure | Correct | Wrong | Score |"), tables);
        assertTrue(tables.contains("| VD_math | 2 | 50.0000 | 50.0000 | 0.0000 |"), tables);
        List<String> rows = tables.lines().filter(line -> line.startsWith("| VD_") || line.startsWith("| VS_")).toList();
        assertEquals(3, rows.size(), tables);
    }

    @Test
    void badRecordsNameFileRecordAndField(@TempDir Path dir) throws Exception {
        Path file = BenchmarkFixtures.hallusion(dir);
        Files.writeString(file, Files.readString(file).replaceFirst("\"gt_answer\": \"0\"", "\"gt_answer\": \"no\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HallusionBench.read(file, null, null, 0, null));
        assertEquals(file + ": record 1: field 'gt_answer' must be \"0\" or \"1\", got \"no\"", e.getMessage());
    }
}
