package org.vco4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.cli.VcoCommand;
import org.vco4j.common.Json;
import org.vco4j.model.encoder.EmbeddingJob;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Spark job in local mode (two task threads) against the single-machine commands on the same input: tiny
 * encoders from {@code vco model init}, 48 pictures, {@code vco embed} and {@code vco data clip-blind} with JoMPO's
 * thresholds.
 */
class SparkClipBlindTest {
    private static SparkSession spark;

    @TempDir
    static Path shared;

    private static Path clip;
    private static Path dino;
    private static Path images;

    @BeforeAll
    static void sessionEncodersAndImages() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("vco4j-spark test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.artifact.isolation.enabled", "false").getOrCreate();
        clip = shared.resolve("clip");
        dino = shared.resolve("dinov2");
        assertEquals(0, VcoCommand.run("model", "init", "--family", "clip", "--size", "tiny", "--seed", "1", "--out", clip.toString()));
        assertEquals(0, VcoCommand.run("model", "init", "--family", "dinov2", "--size", "tiny", "--seed", "2", "--out", dino.toString()));
        images = shared.resolve("images");
        // Pictures come in pairs drawn from one seed (alike to both encoders), at sizes the processors resize.
        for (int i = 0; i < 48; i++) {
            String name = (i % 7 == 0 ? "sub/" : "") + String.format("img-%02d.png", i);
            SparkImages.png(images.resolve(name), 16 + (i % 5) * 4, 16 + (i % 3) * 6, i / 2);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void theSameThresholdsGiveExactlyThePairsOfVcoDataClipBlind(@TempDir Path dir) throws IOException {
        Path clipEmb = dir.resolve("clip.safetensors");
        Path dinoEmb = dir.resolve("dinov2.safetensors");
        Path single = dir.resolve("pairs.jsonl");
        assertEquals(0, VcoCommand.run("embed", "--encoder", clip.toString(), "--images", images.toString(), "--out", clipEmb.toString(),
                "--batch-size", "4"));
        assertEquals(0, VcoCommand.run("embed", "--encoder", dino.toString(), "--images", images.toString(), "--out", dinoEmb.toString(),
                "--batch-size", "4"));
        assertEquals(0, VcoCommand.run("data", "clip-blind", "--clip", clipEmb.toString(), "--dino", dinoEmb.toString(),
                "--out", single.toString(), "--block-size", "8"));

        // Defaults are JoMPO's thresholds, as in vco data clip-blind; a top-k of 2 sends many rows to the full search.
        Path out = dir.resolve("spark");
        Run run = job("--images", images.toString(), "--clip", clip.toString(), "--dino", dino.toString(), "--out", out.toString(),
                "--batch-size", "4", "--block-size", "8", "--top-k", "2", "--partitions", "3");
        assertEquals(0, run.exit, run.err);
        assertTrue(run.out.startsWith("wrote ") && run.out.contains(" CLIP-blind pairs among 48 images"), run.out);

        List<String> pairs = Files.readAllLines(out.resolve("pairs.jsonl"));
        assertTrue(pairs.size() >= 20, "pairs to compare: " + pairs.size());
        assertEquals(Files.readString(single), Files.readString(out.resolve("pairs.jsonl")), "pairs.jsonl equals vco data clip-blind's");
        for (String line : pairs) {
            JsonNode pair = Json.MAPPER.readTree(line);
            assertTrue(pair.get("clip_cosine").asDouble() > 0.95 && pair.get("dinov2_cosine").asDouble() < 0.6, line);
        }

        assertEmbeddingsEqual(EmbeddingJob.read(clipEmb), out.resolve("clip.parquet"));
        assertEmbeddingsEqual(EmbeddingJob.read(dinoEmb), out.resolve("dinov2.parquet"));

        // Parquet readers take part files in any order: the same pairs, as a set.
        List<String> fromParquet = new ArrayList<>();
        for (Row row : spark.read().parquet(out.resolve("pairs.parquet").toString()).collectAsList()) {
            List<String> ids = row.getList(row.fieldIndex("images"));
            fromParquet.add(org.vco4j.data.mining.ClipBlindMining.jsonLine(ids.get(0), ids.get(1),
                    row.getFloat(row.fieldIndex("clip_cosine")), row.getFloat(row.fieldIndex("dinov2_cosine"))));
        }
        assertEquals(new java.util.TreeSet<>(pairs), new java.util.TreeSet<>(fromParquet));
        assertEquals(pairs.size(), fromParquet.size());

        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(pairs.size(), summary.get("pairs").asInt());
        assertEquals(48, summary.get("images").asInt());
        assertEquals(0.95, summary.get("clip_min").asDouble());
        assertEquals(0.6, summary.get("dinov2_max").asDouble());
        assertEquals(6, summary.get("blocks").asInt());
        assertTrue(summary.get("rows_searched_in_full").asInt() > 0, "top-k 2 sends rows to the full search");
        assertEquals(List.of(), hiddenLeftovers(dir));
    }

    @Test
    void badInputIsOneLineExitTwoAndNoOutput(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        String[] models = {"--clip", clip.toString(), "--dino", dino.toString(), "--out", out.toString()};

        Run missing = job(concat(new String[] {"--images", dir.resolve("nowhere").toString()}, models));
        assertUserError(missing, "nowhere");

        Path broken = dir.resolve("broken");
        SparkImages.png(broken.resolve("a.png"), 20, 20, 1);
        Files.writeString(broken.resolve("b.png"), "not a picture");
        Run undecodable = job(concat(new String[] {"--images", broken.toString()}, models));
        assertUserError(undecodable, "b.png"); // found by an executor

        Run threshold = job(concat(new String[] {"--images", images.toString(), "--clip-min", "1.5"}, models));
        assertUserError(threshold, "--clip-min");

        Path notAModel = Files.createDirectories(dir.resolve("empty-model"));
        Run model = job("--images", images.toString(), "--clip", notAModel.toString(), "--dino", dino.toString(), "--out", out.toString());
        assertUserError(model, "--clip " + notAModel);

        Path other = dir.resolve("other");
        SparkImages.png(other.resolve("img-01.png"), 20, 20, 1);
        Run collision = job(concat(new String[] {"--images", images.toString(), "--images", other.toString()}, models));
        assertUserError(collision, "'img-01.png'");

        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "earlier work");
        Run occupied = job(concat(new String[] {"--images", images.toString()}, models));
        assertEquals(2, occupied.exit, occupied.err);
        assertEquals("earlier work", Files.readString(out.resolve("keep.txt")));
        Files.delete(out.resolve("keep.txt"));
        Files.delete(out);

        assertFalse(Files.exists(out));
        assertEquals(List.of(), hiddenLeftovers(dir));
    }

    private static void assertUserError(Run run, String expected) {
        assertEquals(2, run.exit, run.err);
        String message = run.err.strip();
        assertTrue(message.startsWith("error: ") && message.contains(expected), message);
        assertFalse(message.contains("\n"), "one line: " + message);
        assertFalse(message.contains("\tat "), message);
    }

    private static void assertEmbeddingsEqual(EmbeddingJob.Embeddings expected, Path parquet) {
        List<Row> rows = spark.read().parquet(parquet.toString()).collectAsList();
        assertEquals(new java.util.TreeSet<>(expected.ids()), new java.util.TreeSet<>(rows.stream().map(row -> row.getString(0)).toList()), parquet.toString());
        assertEquals(expected.ids().size(), rows.size(), parquet + ": one row per image");
        for (Row row : rows) {
            List<Float> vector = row.getList(1);
            float[] values = new float[vector.size()];
            for (int k = 0; k < values.length; k++) values[k] = vector.get(k);
            assertArrayEquals(expected.row(row.getString(0)), values, parquet + ": " + row.getString(0));
        }
    }

    private static List<String> hiddenLeftovers(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run job(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ClipBlindJob.run(spark, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
