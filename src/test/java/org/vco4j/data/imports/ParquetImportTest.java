package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.testing.Cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.data.imports.ImportFixtures.*;

/**
 * {@code vco data import} on Parquet files written with the Parquet project's own writer in the schemas Hugging Face
 * datasets publish (pyarrow's: {@code Image} as {@code struct<bytes: binary, path: string>}, lists in the three-level
 * {@code list}/{@code element} form), Snappy-compressed as {@code datasets} writes them, and with the other codecs
 * pyarrow offers.
 */
class ParquetImportTest {
    /** openbmb/RLAIF-V-Dataset's columns. */
    static final String RLAIF_V = """
            message schema {
              optional binary ds_name (STRING);
              optional group image {
                optional binary bytes;
                optional binary path (STRING);
              }
              optional binary question (STRING);
              optional binary chosen (STRING);
              optional binary rejected (STRING);
              optional binary origin_dataset (STRING);
              optional binary origin_split (STRING);
              optional binary idx (STRING);
              optional binary image_path (STRING);
            }""";

    /** A conversational column of TRL's datasets: a list of messages whose content is a list of parts. */
    private static String conversation(String name) {
        return """
                  optional group %s (LIST) {
                    repeated group list {
                      optional group element {
                        optional group content (LIST) {
                          repeated group list {
                            optional group element {
                              optional binary text (STRING);
                              optional binary type (STRING);
                            }
                          }
                        }
                        optional binary role (STRING);
                      }
                    }
                  }
                """.formatted(name);
    }

    /** trl-lib/rlaif-v (TRL's examples/datasets/rlaif-v.py): a list of images and conversational columns. */
    static final String TRL_RLAIF_V = """
            message schema {
              optional group images (LIST) {
                repeated group list {
                  optional group element {
                    optional binary bytes;
                    optional binary path (STRING);
                  }
                }
              }
            """ + conversation("prompt") + conversation("chosen") + conversation("rejected") + "}";

    /** S-VCO's MVC layout with its image lists as pyarrow writes a list of strings. */
    static final String MVC = """
            message schema {
              optional binary system_prompt (STRING);
              optional binary instruction_prompt (STRING);
              optional group chosen_images (LIST) { repeated group list { optional binary element (STRING); } }
              optional group rejected_images (LIST) { repeated group list { optional binary element (STRING); } }
              optional binary chosen_response (STRING);
              optional binary rejected_response (STRING);
            }""";

    @TempDir
    Path dir;

    @Test
    void rlaifVRowsWithEmbeddedImagesAreImportedAndTheImagesWrittenAsFiles() throws IOException {
        byte[] red = pngBytes(Color.RED);
        byte[] blue = pngBytes(Color.BLUE);
        Path in = parquet(dir.resolve("data/train-00000-of-00001.parquet"), RLAIF_V, CompressionCodecName.SNAPPY,
                row -> rlaifV(row, red, "Describe the image.", "A red square.", "A green circle.", "0"),
                row -> rlaifV(row, blue, "What colour is it?", "Blue.", "Red.", "1"),
                row -> rlaifV(row, red, "Is it red?", "Yes.", "No.", "2"));
        Path out = dir.resolve("out/rlaif.jsonl");

        JsonNode summary = importOk("rlaif-v", in, null, out);
        List<Sample> samples = SampleReader.read(out);
        assertEquals(List.of("Describe the image.", "What colour is it?", "Is it red?"), samples.stream().map(Sample::prompt).toList());
        assertEquals(List.of("A green circle."), samples.get(0).rejected());
        assertEquals(samples.get(0).image(), samples.get(2).image(), "one file per distinct image");
        assertTrue(samples.get(1).image().startsWith(out.resolveSibling("rlaif-images/embedded")), samples.get(1).image().toString());
        assertArrayEquals(blue, Files.readAllBytes(samples.get(1).image()), "the embedded bytes, written as they were");
        assertEquals(2, summary.at("/images/written_from_bytes").asInt());
        assertEquals(3, summary.get("records_read").asInt());
    }

    @Test
    void trlConversationalRowsReadTheirNestedLists() throws IOException {
        byte[] red = pngBytes(Color.RED);
        Path in = parquet(dir.resolve("trl.parquet"), TRL_RLAIF_V, CompressionCodecName.ZSTD, row -> {
            row.addGroup("images").addGroup("list").addGroup("element").append("bytes", Binary.fromConstantByteArray(red));
            message(row, "prompt", "user", "What colour is it?", true);
            message(row, "chosen", "assistant", "Red.", false);
            message(row, "rejected", "assistant", "Green.", false);
        });
        Path out = dir.resolve("trl.jsonl");
        importOk("rlaif-v", in, null, out);
        Sample sample = SampleReader.read(out).get(0);
        assertEquals("What colour is it?", sample.prompt());
        assertEquals(List.of("Red."), sample.responses());
        assertEquals(List.of("Green."), sample.rejected());
        assertArrayEquals(red, Files.readAllBytes(sample.image()));
    }

    @Test
    void imagePathsInParquetAreFoundUnderTheImagesFolder() throws IOException {
        png(dir.resolve("img/a.png"), Color.RED);
        png(dir.resolve("img/b.png"), Color.BLUE);
        Path in = parquet(dir.resolve("mvc.parquet"), MVC, CompressionCodecName.GZIP, row -> {
            row.append("system_prompt", "").append("instruction_prompt", "What colour is the square?");
            row.addGroup("chosen_images").addGroup("list").append("element", "a.png");
            row.addGroup("rejected_images").addGroup("list").append("element", "b.png");
            row.append("chosen_response", "Red.").append("rejected_response", "Blue.");
        });
        Path out = dir.resolve("mvc.jsonl");
        importOk("s-vco", in, dir.resolve("img"), out);
        Sample sample = SampleReader.read(out).get(0);
        assertEquals(List.of("Red.", "Blue."), sample.responses());
        assertEquals(List.of("a.png", "b.png"), sample.images().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void aBadRowOrADamagedFileIsOneLineWithNothingWritten() throws IOException {
        byte[] red = pngBytes(Color.RED);
        Path in = parquet(dir.resolve("bad.parquet"), RLAIF_V, CompressionCodecName.LZ4_RAW,
                row -> rlaifV(row, red, "Q?", "A.", "B.", "0"),
                row -> row.addGroup("image").append("bytes", Binary.fromConstantByteArray(red)));
        Path out = dir.resolve("bad.jsonl");
        Cli.Run run = Cli.vco("data", "import", "--format", "rlaif-v", "--in", in.toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(in + ": row 1: missing field \"question\"", run.err().strip().replaceFirst("^error: ", ""));
        assertFalse(Files.exists(out));

        byte[] bytes = Files.readAllBytes(in);
        Path damaged = dir.resolve("damaged.parquet");
        Files.write(damaged, Arrays.copyOf(bytes, bytes.length - 12));
        run = Cli.vco("data", "import", "--format", "rlaif-v", "--in", damaged.toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains(damaged + ": not a readable Parquet file"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void everyColumnKindBecomesTheJsonValueItsExportWouldBe() throws IOException {
        String schema = """
                message schema {
                  required int32 n;
                  optional int64 big;
                  optional boolean flag;
                  optional double x;
                  optional binary raw;
                  optional binary name (STRING);
                  optional group tags (LIST) { repeated binary array (STRING); }
                  optional group pairs (LIST) { repeated group array { optional binary a (STRING); optional int32 b; } }
                  optional group items (LIST) { repeated group list { optional binary item (STRING); } }
                  optional group attrs (MAP) { repeated group key_value { required binary key (STRING); optional int32 value; } }
                  optional binary missing (STRING);
                }""";
        Path file = parquet(dir.resolve("kinds.parquet"), schema, CompressionCodecName.UNCOMPRESSED, row -> {
            row.append("n", 1).append("big", 5_000_000_000L).append("flag", true).append("x", 0.5)
                    .append("raw", Binary.fromConstantByteArray(new byte[] {1, 2, 3})).append("name", "a");
            Group tags = row.addGroup("tags");
            tags.append("array", "x").append("array", "y");
            Group pairs = row.addGroup("pairs");
            pairs.addGroup("array").append("a", "p").append("b", 1);
            pairs.addGroup("array").append("a", "q");
            Group items = row.addGroup("items");
            items.addGroup("list").append("item", "i1");
            items.addGroup("list");
            row.addGroup("attrs").addGroup("key_value").append("key", "k").append("value", 3);
        });
        List<JsonNode> records = new java.util.ArrayList<>();
        List<String> where = new java.util.ArrayList<>();
        RecordFile.read(file, (record, bytes) -> {
            records.add(record.node());
            where.add(record.location());
        });
        assertEquals(List.of(file + ": row 0"), where);
        JsonNode row = records.get(0);
        assertEquals("{\"n\":1,\"big\":5000000000,\"flag\":true,\"x\":0.5,\"raw\":\"AQID\",\"name\":\"a\",\"tags\":[\"x\",\"y\"],"
                + "\"pairs\":[{\"a\":\"p\",\"b\":1},{\"a\":\"q\",\"b\":null}],\"items\":[\"i1\",null],\"attrs\":{\"k\":3},"
                + "\"missing\":null}", row.toString());
        assertTrue(row.get("raw").isBinary(), "bytes stay bytes");
    }

    private static void rlaifV(Group row, byte[] image, String question, String chosen, String rejected, String idx) {
        row.append("ds_name", "RLAIF-V");
        row.addGroup("image").append("bytes", Binary.fromConstantByteArray(image));
        row.append("question", question).append("chosen", chosen).append("rejected", rejected)
                .append("origin_dataset", "VQAv2").append("origin_split", "train").append("idx", idx).append("image_path", "");
    }

    private static void message(Group row, String column, String role, String text, boolean withImage) {
        Group message = row.addGroup(column).addGroup("list").addGroup("element");
        Group content = message.addGroup("content");
        if (withImage) content.addGroup("list").addGroup("element").append("type", "image");
        content.addGroup("list").addGroup("element").append("type", "text").append("text", text);
        message.append("role", role);
    }

    /** Writes one row per filler, compressed with {@code codec}. */
    @SafeVarargs
    static Path parquet(Path file, String schemaText, CompressionCodecName codec, Consumer<Group>... rows) throws IOException {
        Files.createDirectories(file.getParent());
        MessageType schema = MessageTypeParser.parseMessageType(schemaText);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema).withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(codec).build()) {
            for (Consumer<Group> filler : rows) {
                Group row = groups.newGroup();
                filler.accept(row);
                writer.write(row);
            }
        }
        return file;
    }
}
