package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.testing.Cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.data.imports.ImportFixtures.*;

/**
 * {@code vco data import --format jompo-vtc}: image pairs with a shared prompt, a response per image and JoMPO's contrast
 * type, in columns the test declares with {@code --map}; JSONL with image paths and Parquet with embedded images.
 */
class VtcImportTest {
    private static final String MAP = "--map";
    private static final String COLUMNS = "image=image_w,contrast_image=image_l,prompt=prompt,chosen=response_w,"
            + "contrast_response=response_l,contrast=contrast_type";

    @TempDir
    Path dir;

    private static ObjectNode record(String w, String l, String type, String yw, String yl) {
        return Json.MAPPER.createObjectNode().put("image_w", w).put("image_l", l).put("prompt", "Describe the image in detail.")
                .put("response_w", yw).put("response_l", yl).put("contrast_type", type);
    }

    @Test
    void tuplesCarryTheCanonicalContrastTypeAndTheSummaryCountsThem() throws IOException {
        png(dir.resolve("img/a.png"), Color.RED);
        png(dir.resolve("img/b.png"), Color.BLUE);
        png(dir.resolve("img/c.png"), Color.GREEN);
        Path in = writeLines(dir.resolve("vtc.jsonl"),
                record("img/a.png", "img/b.png", "Color & Appearance", "A red square.", "A blue square."),
                record("img/b.png", "img/c.png", "color and appearance", "A blue square.", "A green square."),
                record("img/a.png", "img/c.png", "Text", "A sign reading STOP.", "A sign reading GO."),
                record("img/c.png", "img/a.png", "orientation_and_direction", "Facing left.", "Facing right."));
        Path out = dir.resolve("out/vtc.jsonl");
        Cli.Run run = Cli.vco("data", "import", "--format", "jompo-vtc", "--in", in.toString(), "--out", out.toString(), MAP, COLUMNS);
        assertEquals(0, run.exitCode(), run.err());
        List<Sample> samples = SampleReader.read(out);
        assertEquals(List.of("Color and Appearance", "Color and Appearance", "Text and Symbols", "Orientation and Direction"),
                samples.stream().map(Sample::contrast).toList());
        assertEquals(List.of("A red square.", "A blue square."), samples.get(0).responses());
        assertEquals(2, samples.get(0).images().size());
        assertTrue(samples.get(0).isContrastive());
        JsonNode summary = Json.MAPPER.readTree(DatasetImport.summaryFile(out).toFile());
        assertEquals(2, summary.at("/by_contrast/Color and Appearance").asInt());
        assertEquals(1, summary.at("/by_contrast/Text and Symbols").asInt());
        assertEquals("jompo-vtc", summary.get("format").asText());
    }

    @Test
    void embeddedImagesInParquetAreWrittenOut() throws IOException {
        byte[] red = pngBytes(Color.RED);
        byte[] blue = pngBytes(Color.BLUE);
        String schema = """
                message schema {
                  optional group image_w { optional binary bytes; optional binary path (STRING); }
                  optional group image_l { optional binary bytes; optional binary path (STRING); }
                  optional binary prompt (STRING);
                  optional binary response_w (STRING);
                  optional binary response_l (STRING);
                  optional binary contrast_type (STRING);
                }""";
        Path in = ParquetImportTest.parquet(dir.resolve("vtc.parquet"), schema, CompressionCodecName.SNAPPY, row -> {
            row.addGroup("image_w").append("bytes", Binary.fromConstantByteArray(red)).append("path", "coco_1.png");
            row.addGroup("image_l").append("bytes", Binary.fromConstantByteArray(blue)).append("path", "coco_2.png");
            row.append("prompt", "How many cups are there?").append("response_w", "Two cups.").append("response_l", "Three cups.")
                    .append("contrast_type", "Quantity and Count");
        });
        Path out = dir.resolve("vtc.jsonl");
        Cli.Run run = Cli.vco("data", "import", "--format", "jompo-vtc", "--in", in.toString(), "--out", out.toString(), MAP, COLUMNS);
        assertEquals(0, run.exitCode(), run.err());
        Sample sample = SampleReader.read(out).get(0);
        assertEquals("Quantity and Count", sample.contrast());
        assertArrayEquals(red, Files.readAllBytes(sample.images().get(0)));
        assertArrayEquals(blue, Files.readAllBytes(sample.images().get(1)));
    }

    @Test
    void anUnknownContrastTypeOrAMissingRoleIsOneLine() throws IOException {
        png(dir.resolve("a.png"), Color.RED);
        png(dir.resolve("b.png"), Color.BLUE);
        Path in = writeLines(dir.resolve("bad.jsonl"), record("a.png", "b.png", "Color and Appearance", "Red.", "Blue."),
                record("a.png", "b.png", "Lighting", "Red.", "Blue."));
        Path out = dir.resolve("bad-out.jsonl");
        Cli.Run run = Cli.vco("data", "import", "--format", "jompo-vtc", "--in", in.toString(), "--out", out.toString(), MAP, COLUMNS);
        assertEquals(2, run.exitCode());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(in + ": line 2: field \"contrast_type\": 'Lighting' is none of JoMPO's nine contrast types"), run.err());
        assertFalse(Files.exists(out));

        Cli.Run noContrast = Cli.vco("data", "import", "--format", "jompo-vtc", "--in", in.toString(), "--out", out.toString(), MAP,
                COLUMNS.replace(",contrast=contrast_type", ""));
        assertEquals(2, noContrast.exitCode());
        assertTrue(noContrast.err().contains("option --map: --format jompo-vtc maps every role") && noContrast.err().contains("missing contrast"),
                noContrast.err());
        Cli.Run noMap = Cli.vco("data", "import", "--format", "jompo-vtc", "--in", in.toString(), "--out", out.toString());
        assertEquals(2, noMap.exitCode());
        assertTrue(noMap.err().contains("option --map: needed with --format"), noMap.err());
    }
}
