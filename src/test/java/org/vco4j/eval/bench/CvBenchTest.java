package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** CV-Bench's reader and the rule grader's source, type and task accuracies, against hand-computed values. */
class CvBenchTest {

    @Test
    void accuraciesAreTheGradersMeans(@TempDir Path dir) throws Exception {
        CvBench bench = CvBench.read(BenchmarkFixtures.cvBench(dir), null, null, 0);
        assertEquals("Which is closer to the camera?\n(A) chair\n(B) table\nAnswer with the option's letter from the given choices directly.",
                bench.items().get(2).prompt());
        assertEquals(dir.resolve("img/3D/depth/omni3d_1.png").toAbsolutePath(), bench.items().get(2).image().toAbsolutePath());
        // ADE20K right, COCO wrong, Omni3D both right: 2D (1 + 0) / 2, 3D 1, overall 0.75.
        Map<String, Double> m = bench.score(Map.of("0", "(C) 1", "1", "B", "2", "(b)", "3", "(A) lamp"), dir);
        assertEquals(0.5, m.get("cvbench/2d/accuracy"));
        assertEquals(1.0, m.get("cvbench/3d/accuracy"));
        assertEquals(0.75, m.get("cvbench/accuracy"));
        assertEquals(0.0, m.get("cvbench/source/COCO/accuracy"));
        assertEquals(1.0, m.get("cvbench/task/Depth/accuracy"));
        assertEquals(0.0, m.get("cvbench/task/Relation/accuracy"));
        assertEquals(4, Files.readAllLines(dir.resolve("cvbench_answers.jsonl")).size());
    }

    @Test
    void aMissingSourceLeavesTheMeansUndefined(@TempDir Path dir) throws Exception {
        CvBench bench = CvBench.read(BenchmarkFixtures.cvBench(dir), null, "", 1);
        assertEquals(1, bench.items().size());
        assertFalse(bench.items().get(0).prompt().contains("Answer with"), "an empty instruction adds nothing");
        Map<String, Double> m = bench.score(Map.of("0", "(C)"), dir);
        assertTrue(m.get("cvbench/accuracy").isNaN() && m.get("cvbench/3d/accuracy").isNaN());
        assertEquals(1.0, m.get("cvbench/source/ADE20K/accuracy"));
    }

    @Test
    void badRecordsNameLineAndField(@TempDir Path dir) throws Exception {
        Path file = BenchmarkFixtures.cvBench(dir);
        Files.writeString(file, Files.readString(file).replace("\"answer\": \"(B)\", ", ""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CvBench.read(file, null, null, 0));
        assertEquals(file + ":3: field 'answer' is missing", e.getMessage());
    }
}
