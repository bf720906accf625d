package org.vco4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.model.encoder.EncoderImages;
import org.vco4j.testing.Cli.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** From images to mined data as a user runs it: {@code vco model init}, {@code vco embed}, then the two miners. */
class DataMiningCliTest {
    @Test
    void embedThenMineAndFilter(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        for (int i = 0; i < 4; i++) EncoderImages.png(data.resolve("img/" + (char) ('a' + i) + ".png"), 20 + 4 * i, 20, i + 1);
        Path samples = Files.writeString(data.resolve("candidates.jsonl"),
                "{\"id\": \"ball\", \"images\": [\"img/a.png\", \"img/b.png\"], \"prompt\": \"What colour is the ball?\","
                        + " \"responses\": [\"Red.\", \"Blue.\"], \"contrast\": \"attribute\"}\n"
                        + "{\"id\": \"flip\", \"images\": [\"img/c.png\", \"img/d.png\"], \"prompt\": \"Where is the cat?\","
                        + " \"responses\": [\"On the left.\", \"On the right.\"], \"contrast\": \"position\"}\n");
        Path clip = embed(dir, "clip", data);
        Path siglip = embed(dir, "siglip", data);
        Path dinov2 = embed(dir, "dinov2", data);

        Path pairs = dir.resolve("pairs.jsonl");
        Run mine = vco("data", "clip-blind", "--clip", clip.toString(), "--dino", dinov2.toString(), "--out", pairs.toString(),
                "--clip-min", "-1", "--dino-max", "1", "--block-size", "3");
        assertEquals(0, mine.exitCode(), mine.err());
        assertTrue(mine.out().contains("wrote 6 CLIP-blind pairs among 4 images"), mine.out());
        assertTrue(mine.err().contains("6 pairs found"), "progress shows the pairs: " + mine.err());
        List<String> lines = Files.readAllLines(pairs);
        assertEquals(6, lines.size());
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertEquals("[\"img/a.png\",\"img/b.png\"]", first.get("images").toString());
        assertEquals("[\"img/c.png\",\"img/d.png\"]", Json.MAPPER.readTree(lines.get(5)).get("images").toString());

        Path kept = dir.resolve("out/mvc.jsonl");
        Run filter = vco("data", "mvc-filter", "--data", samples.toString(), "--siglip", siglip.toString(), "--dino", dinov2.toString(),
                "--images", data.toString(), "--out", kept.toString(), "--siglip-min", "1", "--dino-max", "-1", "--bypass-share", "all");
        assertEquals(0, filter.exitCode(), filter.err());
        assertTrue(filter.out().lines().anyMatch(line -> line.matches("attribute\\s+1\\s+0\\s+0\\s+0\\s+0\\s+1\\s+1\\s+1")), filter.out());
        assertTrue(filter.out().lines().anyMatch(line -> line.matches("position\\s+1\\s+1\\s+0\\s+1\\s+0\\s+0\\s+0\\s+0")), filter.out());
        List<Sample> written = SampleReader.read(kept);
        assertEquals(List.of("flip"), written.stream().map(Sample::id).toList(), "only the position flip passes thresholds none can meet");
        assertTrue(Files.isRegularFile(dir.resolve("out/mvc-images/" + written.get(0).images().get(0).getFileName())),
                "images outside the output's folder are copied beside it");

        Path other = dir.resolve("out/other.jsonl");
        Run otherBypass = vco("data", "mvc-filter", "--data", samples.toString(), "--siglip", siglip.toString(), "--dino", dinov2.toString(),
                "--out", other.toString(), "--siglip-min", "1", "--dino-max", "-1", "--bypass", "attribute", "--bypass-share", "all");
        assertEquals(0, otherBypass.exitCode(), otherBypass.err());
        assertEquals(List.of("ball"), SampleReader.read(other).stream().map(Sample::id).toList(), "--bypass replaces the default");

        Path subset = dir.resolve("subset.safetensors");
        Run embedOne = vco("embed", "--encoder", dir.resolve("dinov2").toString(), "--images", data.resolve("img").toString(),
                "--out", subset.toString());
        assertEquals(0, embedOne.exitCode(), embedOne.err());
        Path refused = dir.resolve("refused.jsonl");
        Run mismatch = vco("data", "clip-blind", "--clip", clip.toString(), "--dino", subset.toString(), "--out", refused.toString());
        assertEquals(2, mismatch.exitCode());
        assertEquals(1, mismatch.err().strip().lines().count(), mismatch.err());
        assertTrue(mismatch.err().contains(clip.toString()) && mismatch.err().contains(subset.toString()), mismatch.err());
        assertFalse(Files.exists(refused));
        Run missing = vco("data", "mvc-filter", "--data", samples.toString(), "--siglip", dir.resolve("none.safetensors").toString(),
                "--dino", dinov2.toString(), "--out", refused.toString());
        assertEquals(2, missing.exitCode());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("none.safetensors"), missing.err());
        assertFalse(Files.exists(refused));
    }

    @Test
    void benchReportsThroughputAgainstTheRoofline() {
        Run bench = vco("bench", "clip-blind", "--n", "128", "--sizes", "2", "--clip-dim", "64", "--dino-dim", "32",
                "--block-size", "32", "--roofline-size", "128");
        assertEquals(0, bench.exitCode(), bench.err());
        assertTrue(bench.out().startsWith("roofline: "), bench.out());
        assertTrue(bench.out().lines().anyMatch(line -> line.matches("\\s+128\\s+8\\s.*%\\s+-")), bench.out());
        assertTrue(bench.out().lines().anyMatch(line -> line.matches("\\s+256\\s+16\\s.*\\(N² 4x\\)")), bench.out());
    }

    private static Path embed(Path dir, String family, Path images) {
        Path encoder = dir.resolve(family);
        Run init = vco("model", "init", "--family", family, "--out", encoder.toString());
        assertEquals(0, init.exitCode(), init.err());
        Path out = dir.resolve(family + ".safetensors");
        Run embed = vco("embed", "--encoder", encoder.toString(), "--images", images.toString(), "--out", out.toString());
        assertEquals(0, embed.exitCode(), embed.err());
        return out;
    }
}
