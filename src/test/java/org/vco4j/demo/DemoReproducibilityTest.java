package org.vco4j.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The same seed on the same machine gives the same demo: every metric and the table, twice over, exactly. */
class DemoReproducibilityTest {
    /** A demo small enough to run twice in a test: every stage, every method, a few steps and scenes. */
    static DemoSettings small(Path out) {
        return new DemoSettings(out, 5, 24, 4, 8, 2, 2, 2, 1e-3, 5e-4, 4, 2);
    }

    @Test
    void theSameSeedGivesTheSameTableTwice(@TempDir Path dir) throws Exception {
        DemoResult first = new Demo(small(dir.resolve("a"))).run();
        DemoResult second = new Demo(small(dir.resolve("b"))).run();
        assertEquals(first.models(), second.models());
        assertEquals(first.metrics(), second.metrics(), "every metric of every model");
        assertEquals(first.table(), second.table());
        for (String file : new String[] {"eval/base/pope/world_pope_adversarial.jsonl", "eval/base/mmvp/all/Questions.csv",
                "eval/base/chair/answers/chair.json", "eval/S-VCO/pope/answers/world_pope_random_answers.jsonl"}) {
            assertEquals(Files.readString(dir.resolve("a").resolve(file)), Files.readString(dir.resolve("b").resolve(file)), file);
        }
        assertTrue(first.metrics().get("base").containsKey("chair/fluency"));
    }
}
