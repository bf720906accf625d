package org.vco4j.cli;

import org.vco4j.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.world.Scenes;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** The world and data commands end to end, as a user runs them. */
class WorldCliTest {
    @Test
    void generateContrastPairsAndSeva(@TempDir Path dir) throws Exception {
        Path world = dir.resolve("world");
        Cli.Run generate = vco("world", "generate", "--out", world.toString(), "--seed", "7", "--images", "24");
        assertEquals(0, generate.exitCode(), generate.err());
        assertTrue(generate.out().contains("24 scenes (18 train, 6 eval)"), generate.out());
        assertTrue(Files.isRegularFile(world.resolve("world.json")));

        Path contrast = world.resolve("contrast.jsonl");
        Cli.Run c = vco("world", "contrast", "--world", world.toString(), "--out", contrast.toString(), "--split", "eval");
        assertEquals(0, c.exitCode(), c.err());
        List<Sample> tuples = SampleReader.read(contrast);
        assertFalse(tuples.isEmpty());
        assertTrue(tuples.get(0).image().startsWith(world.resolve("images")), "images inside the folder are not copied");
        assertEquals(tuples.size(), Scenes.read(world.resolve("contrast-images")).size(), "ground truth of every m'");

        Path pairs = dir.resolve("elsewhere/pairs.jsonl");
        Cli.Run p = vco("world", "pairs", "--world", world.toString(), "--out", pairs.toString());
        assertEquals(0, p.exitCode(), p.err());
        assertEquals(18, SampleReader.read(pairs).size());

        Cli.Run badSplit = vco("world", "pairs", "--world", world.toString(), "--out", pairs.toString(), "--split", "test");
        assertEquals(2, badSplit.exitCode());
        assertTrue(badSplit.err().contains("--split"), badSplit.err());

        Path questions = dir.resolve("questions.jsonl");
        Files.write(questions, Files.readAllLines(world.resolve("sft.jsonl")).subList(0, 3).stream()
                .map(line -> line.replace("\"images/", "\"world/images/")).toList());
        Path seva = dir.resolve("seva/seva.jsonl");
        Cli.Run s = vco("data", "seva", "--model", TinyWorld.checkpoint().toString(), "--data", questions.toString(),
                "--out", seva.toString(), "--augmentation", "diffusion-strong", "--max-new-tokens", "4");
        assertEquals(0, s.exitCode(), s.err());
        List<Sample> sevaPairs = SampleReader.read(seva);
        assertTrue(s.out().contains("wrote " + sevaPairs.size() + " SeVa pairs"), s.out());
        // the generation work it did, counted: GFLOP executed and the share of a roofline measured then
        assertTrue(s.err().lines().anyMatch(l -> l.matches("seva: 3 samples answered on 2 images each in [0-9.]+ s; [0-9.e+-]+ GFLOP = .*roofline")
                && !l.contains(" 0.00 GFLOP =")), s.err());
        String[] counts = s.out().replaceAll("(?s).*dropped (\\d+) with equal answers and (\\d+) with.*\\s*", "$1 $2").split(" ");
        assertEquals(3, sevaPairs.size() + Integer.parseInt(counts[0]) + Integer.parseInt(counts[1]), s.out());
        var summary = org.vco4j.common.Json.MAPPER.readTree(dir.resolve("seva/seva.summary.json").toFile());
        assertEquals(Integer.parseInt(counts[0]) / 3.0, summary.get("share_dropped_identical").asDouble(), 1e-9);
        for (Sample pair : sevaPairs) {
            assertEquals("diffusion-strong", pair.augmentation());
            assertTrue(pair.image().startsWith(dir.resolve("seva")), "the original image is copied beside the pairs");
        }
        assertEquals(3, Files.list(dir.resolve("seva/seva-images")).filter(f -> f.toString().endsWith("-diffusion-strong.png")).count());
    }
}
