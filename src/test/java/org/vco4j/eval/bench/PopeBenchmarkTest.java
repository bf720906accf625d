package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** POPE's reader and its official answer parsing and metrics, against hand-computed values. */
class PopeBenchmarkTest {

    @Test
    void answersAreReadAsPopesEvaluateScriptDoes() {
        assertFalse(PopeBenchmark.saysYes("No, there is not."));
        assertTrue(PopeBenchmark.saysYes("Yes."));
        assertFalse(PopeBenchmark.saysYes("There is a dog, no cat"), "commas dropped, then the word 'no'");
        assertTrue(PopeBenchmark.saysYes("Yes, there is a dog. No cat."), "only the first sentence counts");
        assertFalse(PopeBenchmark.saysYes("The dog is not there"));
        assertTrue(PopeBenchmark.saysYes("Not at all"), "'Not' capitalised is no negation word for the script");
        assertTrue(PopeBenchmark.saysYes("Nope"), "whole words only");
        assertTrue(PopeBenchmark.saysYes("no\nthere is none"), "words are split at spaces only");
        assertFalse(PopeBenchmark.saysYes("no"));
        assertTrue(PopeBenchmark.saysYes(""), "an empty answer is a yes");
    }

    @Test
    void metricsPerSplitAreTheScriptsFormulas(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("coco_pope_adversarial.json");
        StringBuilder lines = new StringBuilder();
        String[] labels = {"yes", "yes", "yes", "no", "no"};
        for (int i = 0; i < labels.length; i++) {
            lines.append("{\"question_id\": ").append(i).append(", \"image\": \"a.jpg\", \"text\": \"Is there a cat in the image?\", \"label\": \"")
                    .append(labels[i]).append("\"}\n");
        }
        BenchmarkFixtures.write(data, lines.toString());
        BenchmarkFixtures.jpeg(dir.resolve("images/a.jpg"), java.awt.Color.RED);
        PopeBenchmark pope = PopeBenchmark.read(data, dir.resolve("images"), null, 0);
        List<BenchmarkItem> items = pope.items();
        assertEquals("Is there a cat in the image?\nAnswer the question using a single word or phrase.", items.get(0).prompt());
        // truth yes,yes,yes,no,no; said yes,no,yes,yes,no → TP 2, FN 1, FP 1, TN 1
        String[] said = {"Yes, there is.", "No.", "yes", "There is a cat.", "There is no cat."};
        Map<String, String> answers = new LinkedHashMap<>();
        for (int i = 0; i < said.length; i++) answers.put(items.get(i).id(), said[i]);
        Map<String, Double> m = pope.score(answers, dir);
        assertEquals(3.0 / 5, m.get("pope/coco/adversarial/accuracy"), 1e-12);
        assertEquals(2.0 / 3, m.get("pope/coco/adversarial/precision"), 1e-12);
        assertEquals(2.0 / 3, m.get("pope/coco/adversarial/recall"), 1e-12);
        assertEquals(2.0 / 3, m.get("pope/coco/adversarial/f1"), 1e-12);
        assertEquals(3.0 / 5, m.get("pope/coco/adversarial/yes_ratio"), 1e-12);
        assertEquals(5.0, m.get("pope/coco/adversarial/questions"));
        List<String> written = Files.readAllLines(dir.resolve("coco_pope_adversarial_answers.jsonl"));
        assertEquals(5, written.size());
        assertEquals("{\"question_id\":1,\"text\":\"Is there a cat in the image?\",\"answer\":\"No.\"}", written.get(1));
    }

    @Test
    void aFolderIsReadInSplitOrder(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.pope(dir);
        PopeBenchmark pope = PopeBenchmark.read(data, dir.resolve("val2014"), "", 1);
        assertEquals(List.of("coco/random", "coco/popular", "coco/adversarial"), pope.splits().stream().map(PopeBenchmark.Split::name).toList());
        assertEquals(3, pope.items().size(), "--limit 1 keeps one question per split");
        assertEquals("Is there a dining table in the image?", pope.items().get(0).prompt(), "an empty instruction adds nothing");
    }

    @Test
    void badRecordsNameFileLineAndField(@TempDir Path dir) throws Exception {
        BenchmarkFixtures.jpeg(dir.resolve("images/a.jpg"), java.awt.Color.RED);
        String good = "{\"question_id\": 1, \"image\": \"a.jpg\", \"text\": \"Is there a cat?\", \"label\": \"yes\"}\n";
        assertError(dir, good + "{\"question_id\": 2, \"image\": \"a.jpg\", \"text\": \"Is there a dog?\", \"label\": \"maybe\"}\n",
                ":2: field 'label' must be \"yes\" or \"no\"");
        assertError(dir, good + "{\"question_id\": 2, \"image\": \"a.jpg\", \"label\": \"no\"}\n", ":2: field 'text' is missing");
        assertError(dir, good + "{\"question_id\": 2, \"image\": \"b.jpg\", \"text\": \"?\", \"label\": \"no\"}\n", ":2: field 'image': no image");
        assertError(dir, good + "{\"question_id\": 1, \"image\": \"a.jpg\", \"text\": \"?\", \"label\": \"no\"}\n", ":2: field 'question_id': 1 appears twice");
        assertError(dir, good + "{\"question_id\": 2,\n", ":2: malformed JSON");
        assertError(dir, "{\"question_id\": 1, \"image\": \"../a.jpg\", \"text\": \"?\", \"label\": \"no\"}\n", ":1: field 'image' (../a.jpg) leaves");
    }

    private static void assertError(Path dir, String content, String expected) throws Exception {
        Path file = BenchmarkFixtures.write(dir.resolve("coco_pope_random.json"), content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PopeBenchmark.read(file, dir.resolve("images"), null, 0));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
