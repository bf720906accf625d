package org.vco4j.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.world.Scene;
import org.vco4j.eval.bench.BenchmarkItem;
import org.vco4j.eval.bench.ChairBenchmark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The world's scenes as COCO annotations and its shapes as CHAIR's object list, scored by the public CHAIR code. */
class WorldChairFilesTest {
    @Test
    void worldCaptionsAreScoredByThePublicChair(@TempDir Path dir) throws Exception {
        Path world = TestWorld.write(dir.resolve("world"));
        List<Scene> scenes = TestWorld.scenes().stream().filter(s -> s.split().equals("eval")).toList();
        Path folder = dir.resolve("chair");
        Path images = Chair.write(world, scenes, folder);
        assertEquals(world.resolve("images").toAbsolutePath().normalize(), images);
        ChairBenchmark chair = ChairBenchmark.read(folder.resolve(Chair.ANNOTATIONS_FOLDER), images, WorldQuestions.DESCRIBE, 0,
                folder.resolve(Chair.SYNONYMS_FILE));
        List<BenchmarkItem> items = chair.items();
        assertEquals(5, items.size());
        assertEquals(world.resolve("images/e1.png").toAbsolutePath().normalize(), items.get(0).image().toAbsolutePath().normalize());

        Map<String, String> answers = new LinkedHashMap<>();
        // e1: blue circle, blue square. A cross (read "cros" by CHAIR's singularizer) is hallucinated.
        answers.put("1", "There is a small blue circle on the left and two red crosses.");
        // e2: red circle, green triangle: right.
        answers.put("2", "There is a large red circle on the left and a small green triangle on the right.");
        // e3: star and square; e4: heart; e5: circle and cross: no shape named, or the right ones.
        answers.put("3", "there are two there is a large.");
        answers.put("4", "There is a large purple heart on the left.");
        answers.put("5", "There is a small green circle on the left and a large orange cross on the right.");
        Map<String, Double> metrics = chair.score(answers, dir.resolve("out"));
        assertEquals(1.0 / 5, metrics.get("chair/chair_s"), 1e-12);
        assertEquals(1.0 / 7, metrics.get("chair/chair_i"), 1e-12);
        // Ground-truth objects 2 + 2 + 2 + 1 + 2 = 9; named: circle (e1), circle and triangle, heart, circle and cross.
        assertEquals(6.0 / 9, metrics.get("chair/recall"), 1e-12);
        assertEquals(7, metrics.get("chair/object_words"));
    }

    @Test
    void theObjectListNamesEveryShapeAsChairReadsIt() {
        assertEquals("circle\nsquare\ntriangle\nstar\nheart\ncross, cros\n", Chair.synonyms());
        assertEquals(0.5, Chair.fluency(1, 2));
        assertTrue(Double.isNaN(Chair.fluency(0, 0)));
    }
}
