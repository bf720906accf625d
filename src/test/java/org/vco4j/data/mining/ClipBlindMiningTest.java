package org.vco4j.data.mining;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco data clip-blind} on embeddings files written by the test. */
class ClipBlindMiningTest {
    private static final ClipBlindSearch.Settings JOMPO = new ClipBlindSearch.Settings(0.95, 0.6, 2, 4);

    @TempDir
    Path dir;

    /**
     * CLIP: a·b = 0.96 and c·d = 0.96, every other cosine below 0.3. DINOv2: a·b = 0.5 (different: kept),
     * c·d = 0.8 (alike: not CLIP-blind).
     */
    @Test
    void findsExactlyThePairsCLIPConfusesAndDINOv2Separates() throws IOException {
        List<String> ids = List.of("a.png", "b.png", "c.png", "sub/d.png");
        Path clip = EmbeddingFiles.write(dir.resolve("clip.safetensors"), ids,
                new float[][] {{1, 0, 0}, {0.96f, 0.28f, 0}, {0, 1, 0}, {0, 0.96f, 0.28f}});
        Path dinov2 = EmbeddingFiles.write(dir.resolve("dino.safetensors"), ids,
                new float[][] {EmbeddingFiles.atCosine(1), EmbeddingFiles.atCosine(0.5), {0, 1}, {0.6f, 0.8f}});
        Path out = dir.resolve("pairs.jsonl");
        ClipBlindMining.Result result = ClipBlindMining.run(clip, dinov2, out, JOMPO);
        assertEquals(1, result.pairs());
        List<String> lines = Files.readAllLines(out);
        assertEquals(1, lines.size(), lines.toString());
        JsonNode pair = Json.MAPPER.readTree(lines.get(0));
        assertEquals("[\"a.png\",\"b.png\"]", pair.get("images").toString());
        assertEquals(0.96, pair.get("clip_cosine").asDouble(), 1e-6);
        assertEquals(0.5, pair.get("dinov2_cosine").asDouble(), 1e-6);
        JsonNode summary = Json.MAPPER.readTree(ClipBlindMining.summaryFile(out).toFile());
        assertEquals(1, summary.get("pairs").asInt());
        assertEquals(4, summary.get("images").asInt());
        assertEquals(2, summary.get("blocks").asInt());
        assertFalse(Files.exists(dir.resolve("pairs.jsonl.partial")));
    }

    /** A run that dies after its third block keeps three; the rerun adds the rest and writes the same bytes. */
    @Test
    void anInterruptedRunResumesToTheSameFile() throws IOException {
        List<String> ids = EmbeddingFiles.ids(40);
        Path clip = EmbeddingFiles.write(dir.resolve("clip.safetensors"), ids, EmbeddingFiles.gaussian(40, 3, 5));
        Path dinov2 = EmbeddingFiles.write(dir.resolve("dino.safetensors"), ids, EmbeddingFiles.gaussian(40, 3, 6));
        ClipBlindSearch.Settings settings = new ClipBlindSearch.Settings(0.9, 0.0, 7, 3);
        Path whole = dir.resolve("whole.jsonl");
        ClipBlindMining.Result uninterrupted = ClipBlindMining.run(clip, dinov2, whole, settings);
        assertTrue(uninterrupted.pairs() > 5, "pairs to compare: " + uninterrupted.pairs());

        Path out = dir.resolve("resumed.jsonl");
        RuntimeException crash = assertThrows(RuntimeException.class, () -> ClipBlindMining.run(clip, dinov2, out, settings, block -> {
            if (block == 2) throw new RuntimeException("simulated crash");
        }));
        assertEquals("simulated crash", crash.getMessage());
        assertFalse(Files.exists(out), "no output before the last block");
        Path partial = dir.resolve("resumed.jsonl.partial");
        assertTrue(Files.isRegularFile(partial.resolve("block-000002.jsonl")));
        assertFalse(Files.exists(partial.resolve("block-000003.jsonl")));

        ClipBlindSearch.Settings otherBlocks = new ClipBlindSearch.Settings(0.9, 0.0, 8, 3);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ClipBlindMining.run(clip, dinov2, out, otherBlocks));
        assertTrue(refused.getMessage().contains("--block-size") && refused.getMessage().contains(partial.toString()), refused.getMessage());

        ClipBlindMining.Result resumed = ClipBlindMining.run(clip, dinov2, out, settings);
        assertEquals(3, resumed.resumedBlocks());
        assertEquals(uninterrupted.pairs(), resumed.pairs());
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(out));
        assertFalse(Files.exists(partial));
    }

    @Test
    void embeddingsOfOtherImagesAreOneErrorNamingBothFiles() throws IOException {
        Path clip = EmbeddingFiles.write(dir.resolve("clip.safetensors"), List.of("a.png", "b.png"), new float[][] {{1, 0}, {0, 1}});
        Path dinov2 = EmbeddingFiles.write(dir.resolve("dino.safetensors"), List.of("a.png", "c.png"), new float[][] {{1, 0}, {0, 1}});
        Path out = dir.resolve("pairs.jsonl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipBlindMining.run(clip, dinov2, out, JOMPO));
        assertTrue(e.getMessage().contains(clip.toString()) && e.getMessage().contains(dinov2.toString())
                && e.getMessage().contains("'b.png'") && e.getMessage().contains("'c.png'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("pairs.jsonl.partial")));
    }

    @Test
    void badEmbeddingsFilesNameTheFileAndTheField() throws IOException {
        Path good = EmbeddingFiles.write(dir.resolve("good.safetensors"), List.of("a.png", "b.png"), new float[][] {{1, 0}, {0, 1}});
        Path zero = EmbeddingFiles.write(dir.resolve("zero.safetensors"), List.of("a.png", "b.png"), new float[][] {{1, 0}, {0, 0}});
        Path short_ = EmbeddingFiles.write(dir.resolve("short.safetensors"), List.of("a.png"), new float[][] {{1, 0}, {0, 1}});
        Path text = Files.writeString(dir.resolve("text.safetensors"), "not safetensors");
        Path out = dir.resolve("pairs.jsonl");
        assertMessage(zero, good, out, "row of image 'b.png' is zero");
        assertMessage(short_, good, out, "has shape [2, 2]");
        assertThrows(IOException.class, () -> ClipBlindMining.run(text, good, out, JOMPO));
        assertThrows(IOException.class, () -> ClipBlindMining.run(dir.resolve("missing.safetensors"), good, out, JOMPO));
        assertFalse(Files.exists(out));
    }

    private static void assertMessage(Path clip, Path dinov2, Path out, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipBlindMining.run(clip, dinov2, out, JOMPO));
        assertTrue(e.getMessage().startsWith(clip.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}
