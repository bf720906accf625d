package org.vco4j.data.mining;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.model.encoder.EncoderImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco data mvc-filter} on tuples whose SigLIP and DINOv2 cosines the test sets. */
class MvcFilterTest {
    private static final MvcFilter.Settings SVCO = new MvcFilter.Settings(0.7, 0.5, Set.of("position"));
    private static final MvcFilter.Settings EVERY_FLIP = new MvcFilter.Settings(0.7, 0.5, Set.of("position"), MvcFilter.BypassShare.ALL, 0);

    @TempDir
    Path dir;
    private Path data;
    private Path siglip;
    private Path dinov2;

    /** One tuple per case: id, contrast, SigLIP cosine, DINOv2 cosine. */
    private static final Object[][] CASES = {
            {"kept", "attribute", 0.8, 0.3},
            {"siglip-low", "attribute", 0.6, 0.3},
            {"dino-high", "object", 0.9, 0.7},
            {"flip", "Position", 0.1, 0.9},
            {"both", "count", 0.2, 0.95},
            {"untyped", null, 0.75, 0.45},
    };

    @BeforeEach
    void tuplesWithKnownCosines() throws IOException {
        data = dir.resolve("data.jsonl");
        List<String> ids = new ArrayList<>();
        List<float[]> siglipRows = new ArrayList<>();
        List<float[]> dinov2Rows = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        int seed = 0;
        for (Object[] c : CASES) {
            String m = "img/" + c[0] + "-m.png";
            String mPrime = "img/" + c[0] + "-m2.png";
            EncoderImages.png(dir.resolve(m), 16, 16, seed++);
            EncoderImages.png(dir.resolve(mPrime), 16, 16, seed++);
            ids.add(m);
            ids.add(mPrime);
            siglipRows.add(EmbeddingFiles.atCosine(1));
            siglipRows.add(EmbeddingFiles.atCosine((double) c[2]));
            dinov2Rows.add(EmbeddingFiles.atCosine(1));
            dinov2Rows.add(EmbeddingFiles.atCosine((double) c[3]));
            lines.append("{\"id\": \"").append(c[0]).append("\", \"images\": [\"").append(m).append("\", \"").append(mPrime)
                    .append("\"], \"prompt\": \"What is shown?\", \"responses\": [\"A red ball.\", \"A blue ball.\"]")
                    .append(c[1] == null ? "" : ", \"contrast\": \"" + c[1] + "\"").append("}\n");
        }
        Files.writeString(data, lines);
        // vco embed sorts its ids; the rows follow them.
        List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, ids.size()).boxed().toList());
        order.sort((a, b) -> ids.get(a).compareTo(ids.get(b)));
        siglip = EmbeddingFiles.write(dir.resolve("siglip.safetensors"), order.stream().map(ids::get).toList(),
                order.stream().map(siglipRows::get).toArray(float[][]::new));
        dinov2 = EmbeddingFiles.write(dir.resolve("dino.safetensors"), order.stream().map(ids::get).toList(),
                order.stream().map(dinov2Rows::get).toArray(float[][]::new));
    }

    @Test
    void keepsAlikeInMeaningAndDifferentInAppearanceAndEveryPositionFlipWhenAsked() throws IOException {
        Path out = dir.resolve("mvc.jsonl");
        MvcFilter.Result result = MvcFilter.run(data, siglip, dinov2, null, out, EVERY_FLIP);
        List<Sample> kept = SampleReader.read(out);
        assertEquals(List.of("kept", "flip", "untyped"), kept.stream().map(Sample::id).toList());
        assertEquals(dir.resolve("img/kept-m.png").toAbsolutePath().normalize(), kept.get(0).images().get(0));

        assertEquals(List.of("(none)", "Position", "attribute", "count", "object"), List.copyOf(result.byContrast().keySet()));
        assertEquals(new MvcFilter.Counts(2, 1, 0, 0, 1, 1, 0), result.byContrast().get("attribute"));
        assertEquals(new MvcFilter.Counts(1, 0, 1, 0, 0, 0, 0), result.byContrast().get("Position"));
        assertEquals(new MvcFilter.Counts(1, 0, 0, 0, 1, 1, 1), result.byContrast().get("count"));
        assertEquals(new MvcFilter.Counts(6, 2, 1, 0, 3, 2, 2), result.total());
        assertTrue(result.table().lines().anyMatch(line -> line.matches("object\\s+1\\s+0\\s+0\\s+0\\s+0\\s+1\\s+0\\s+1")), result.table());

        JsonNode summary = Json.MAPPER.readTree(DataPaths.summaryBeside(out).toFile());
        assertEquals(1, summary.at("/by_contrast/attribute/kept").asInt());
        assertEquals(1, summary.at("/by_contrast/attribute/dropped_siglip_too_low").asInt());
        assertEquals(3, summary.at("/total/kept").asInt());
        assertEquals("[\"position\"]", summary.get("bypass").toString());
        assertEquals("all", summary.get("bypass_share").asText());

        Path unfiltered = dir.resolve("strict.jsonl");
        MvcFilter.Result noBypass = MvcFilter.run(data, siglip, dinov2, null, unfiltered, new MvcFilter.Settings(0.7, 0.5, Set.of()));
        assertEquals(new MvcFilter.Counts(1, 0, 0, 0, 1, 1, 1), noBypass.byContrast().get("Position"));

        // The paper's rule: 1 flip among 6 candidates and 2 filtered pairs kept; 2 x 1/5 rounds to no flip.
        Path source = dir.resolve("source.jsonl");
        MvcFilter.Result sourceShare = MvcFilter.run(data, siglip, dinov2, null, source, SVCO);
        assertEquals(new MvcFilter.Counts(1, 0, 0, 1, 0, 0, 0), sourceShare.byContrast().get("Position"));
        assertEquals(List.of("kept", "untyped"), SampleReader.read(source).stream().map(Sample::id).toList());
        assertEquals(1, Json.MAPPER.readTree(DataPaths.summaryBeside(source).toFile()).at("/by_contrast/Position/unsampled").asInt());
    }

    @Test
    void positionFlipsAreDrawnToTheirShareOfTheCandidatesAsInThePaper() throws IOException {
        // 8 attribute pairs (6 pass the filter) and 4 flips: flips are 1/3 of the candidates, so 3 flips join the 6.
        StringBuilder lines = new StringBuilder();
        List<String> ids = new ArrayList<>();
        List<float[]> siglipRows = new ArrayList<>();
        List<float[]> dinov2Rows = new ArrayList<>();
        int attributes = 0;
        for (int i = 0; i < 12; i++) {
            boolean flip = i % 3 == 2;
            boolean passes = !flip && attributes++ < 6;
            String m = String.format("many/%02d-m.png", i);
            String mPrime = String.format("many/%02d-m2.png", i);
            ids.add(m);
            ids.add(mPrime);
            siglipRows.add(EmbeddingFiles.atCosine(1));
            siglipRows.add(EmbeddingFiles.atCosine(passes ? 0.9 : 0.1));
            dinov2Rows.add(EmbeddingFiles.atCosine(1));
            dinov2Rows.add(EmbeddingFiles.atCosine(0.2));
            EncoderImages.png(dir.resolve(m), 8, 8, 2 * i);
            EncoderImages.png(dir.resolve(mPrime), 8, 8, 2 * i + 1);
            lines.append("{\"id\": \"s").append(i).append("\", \"images\": [\"").append(m).append("\", \"").append(mPrime)
                    .append("\"], \"prompt\": \"Q?\", \"responses\": [\"A.\", \"B.\"], \"contrast\": \"")
                    .append(flip ? "position" : "attribute").append("\"}\n");
        }
        Path many = Files.writeString(dir.resolve("many.jsonl"), lines);
        Path s = EmbeddingFiles.write(dir.resolve("many-siglip.safetensors"), ids, siglipRows.toArray(float[][]::new));
        Path d = EmbeddingFiles.write(dir.resolve("many-dino.safetensors"), ids, dinov2Rows.toArray(float[][]::new));

        MvcFilter.Result first = MvcFilter.run(many, s, d, null, dir.resolve("a.jsonl"), new MvcFilter.Settings(0.7, 0.5,
                Set.of("position"), MvcFilter.BypassShare.SOURCE, 7));
        assertEquals(6, first.byContrast().get("attribute").passed());
        assertEquals(new MvcFilter.Counts(4, 0, 3, 1, 0, 0, 0), first.byContrast().get("position"));
        assertEquals(9, first.kept().size());
        MvcFilter.Result again = MvcFilter.run(many, s, d, null, dir.resolve("b.jsonl"), new MvcFilter.Settings(0.7, 0.5,
                Set.of("position"), MvcFilter.BypassShare.SOURCE, 7));
        assertEquals(first.kept().stream().map(Sample::id).toList(), again.kept().stream().map(Sample::id).toList(), "one seed, one draw");
        List<String> order = first.kept().stream().map(Sample::id).toList();
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(java.util.Comparator.comparingInt(id -> Integer.parseInt(id.substring(1))));
        assertEquals(sorted, order, "kept samples stay in input order");
        assertTrue(first.table().lines().anyMatch(line -> line.matches("position\\s+4\\s+3\\s+0\\s+3\\s+1\\s+0\\s+0\\s+0")), first.table());
    }

    @Test
    void anImageWithoutEmbeddingIsOneLineNamingFileSampleAndField() throws IOException {
        Path other = EmbeddingFiles.write(dir.resolve("few.safetensors"), List.of("img/kept-m.png"), new float[][] {{1, 0}});
        Path out = dir.resolve("mvc.jsonl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MvcFilter.run(data, other, EmbeddingFiles.write(dir.resolve("few-dino.safetensors"), List.of("img/kept-m.png"),
                        new float[][] {{1, 0}}), null, out, SVCO));
        assertTrue(e.getMessage().startsWith(data + ": sample 'kept': field \"images\"[1]: image 'img/kept-m2.png' has no row in "
                + other), e.getMessage());
        assertFalse(Files.exists(out));

        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> MvcFilter.run(data, siglip, other, null, out, SVCO));
        assertTrue(mismatch.getMessage().contains(siglip.toString()) && mismatch.getMessage().contains(other.toString()), mismatch.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aPairSampleIsRefused() throws IOException {
        Files.writeString(data, "{\"id\": \"p\", \"images\": [\"img/kept-m.png\"], \"prompt\": \"Q?\", \"chosen\": \"A.\", \"rejected\": \"B.\"}\n");
        Path out = dir.resolve("mvc.jsonl");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MvcFilter.run(data, siglip, dinov2, null, out, SVCO));
        assertEquals(data + ": sample 'p': field \"images\": has one image; the filter compares a pair [m, m']", e.getMessage());
        assertFalse(Files.exists(out));
        IllegalArgumentException self = assertThrows(IllegalArgumentException.class, () -> MvcFilter.run(data, siglip, dinov2, null, data, SVCO));
        assertTrue(self.getMessage().contains("is the input file"), self.getMessage());
    }
}
