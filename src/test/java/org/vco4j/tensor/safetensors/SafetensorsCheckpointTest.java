package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsCheckpointTest {
    @TempDir
    Path dir;

    private static float[] range(int n, float start) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i;
        return v;
    }

    /** Tensors of 16, 16, 40, 8, 120 and 4 bytes. */
    private static Map<String, Tensor> sixTensors() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("f", Tensors.floats(range(1, 50)));
        t.put("e", Tensors.floats(range(30, 0), 5, 6));
        t.put("d", Tensors.floats(range(2, 40)));
        t.put("c", Tensors.floats(range(10, 30)));
        t.put("b", Tensors.floats(range(4, 20)));
        t.put("a", Tensors.floats(range(4, 10), 2, 2));
        return t;
    }

    private static List<String> contents(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertSameTensors(Map<String, Tensor> expected, SafetensorsCheckpoint checkpoint)
            throws IOException {
        assertEquals(expected.keySet(), java.util.Set.copyOf(checkpoint.names()));
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor loaded = checkpoint.load(e.getKey());
            assertArrayEquals(Tensors.shape(e.getValue()), Tensors.shape(loaded), e.getKey());
            assertArrayEquals(Tensors.toFloatArray(e.getValue()), Tensors.toFloatArray(loaded), e.getKey());
        }
    }

    @Test
    void smallCheckpointsAreASingleFile() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = sixTensors();
            Path folder = dir.resolve("single");
            List<Path> written = SafetensorsCheckpointWriter.writeSharded(folder, tensors, 1 << 20);
            assertEquals(List.of(folder.resolve("model.safetensors")), written);
            assertEquals(List.of("model.safetensors"), contents(folder));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertSameTensors(tensors, checkpoint);
                assertEquals(List.of(folder.resolve("model.safetensors")), checkpoint.files());
            }
            try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
                assertEquals(Map.of("format", "pt"), file.metadata());
            }
        }
    }

    @Test
    void shardedRoundTripWithTransformersStyleIndex() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = sixTensors();
            Path folder = dir.resolve("sharded");
            // Greedy by name with a 48-byte limit: [a b] [c d] [e, alone as it exceeds the limit] [f].
            List<Path> written = SafetensorsCheckpointWriter.writeSharded(folder, tensors, 48, Map.of());
            assertEquals(List.of("model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                    "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors",
                    "model.safetensors.index.json"), written.stream().map(p -> p.getFileName().toString()).toList());
            assertEquals("""
                    {
                      "metadata": {
                        "total_size": 204
                      },
                      "weight_map": {
                        "a": "model-00001-of-00004.safetensors",
                        "b": "model-00001-of-00004.safetensors",
                        "c": "model-00002-of-00004.safetensors",
                        "d": "model-00002-of-00004.safetensors",
                        "e": "model-00003-of-00004.safetensors",
                        "f": "model-00004-of-00004.safetensors"
                      }
                    }
                    """, Files.readString(folder.resolve("model.safetensors.index.json")));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertEquals(List.of("a", "b", "c", "d", "e", "f"), checkpoint.names());
                assertSameTensors(tensors, checkpoint);
                assertEquals(folder.resolve("model-00002-of-00004.safetensors").toAbsolutePath(),
                        checkpoint.info("d").file());
                assertTrue(checkpoint.contains("e"));
                assertFalse(checkpoint.contains("g"));
                assertThrows(NoSuchElementException.class, () -> checkpoint.load("g"));
                assertEquals(4, checkpoint.files().size());
            }
        }
    }

    @Test
    void indexEscapesNonAsciiNamesAsPythonDoes() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path folder = dir.resolve("unicode");
            Map<String, Tensor> tensors = Map.of("\u00e9", Tensors.floats(1f), "\ud83d\ude42", Tensors.floats(2f));
            SafetensorsCheckpointWriter.writeSharded(folder, tensors, 4);
            String index = Files.readString(folder.resolve("model.safetensors.index.json"));
            assertTrue(index.contains("    \"\\u00e9\": \"model-00001-of-00002.safetensors\",\n"), index);
            assertTrue(index.contains("    \"\\ud83d\\ude42\": \"model-00002-of-00002.safetensors\"\n"), index);
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertSameTensors(tensors, checkpoint);
            }
        }
    }

    @Test
    void rewritingRemovesFilesOfTheEarlierLayout() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path folder = dir.resolve("rewrite");
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("config.json"), "{}");
            SafetensorsCheckpointWriter.writeSharded(folder, sixTensors(), 48);
            assertEquals(6, contents(folder).size());

            Map<String, Tensor> two = Map.of("x", Tensors.floats(range(8, 0)), "y", Tensors.floats(range(8, 1)));
            SafetensorsCheckpointWriter.writeSharded(folder, two, 32);
            assertEquals(List.of("config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                    "model.safetensors.index.json"), contents(folder));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertSameTensors(two, checkpoint);
            }

            SafetensorsCheckpointWriter.writeSharded(folder, two, 1000);
            assertEquals(List.of("config.json", "model.safetensors"), contents(folder));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertSameTensors(two, checkpoint);
            }
        }
    }

    @Test
    void writerRejectsBadArgumentsBeforeWritingAnything() {
        try (PointerScope scope = new PointerScope()) {
            Path folder = dir.resolve("nothing");
            assertThrows(IllegalArgumentException.class,
                    () -> SafetensorsCheckpointWriter.writeSharded(folder, sixTensors(), 0));
            Map<String, Tensor> bad = new LinkedHashMap<>(sixTensors());
            bad.put("undefined", new Tensor());
            assertThrows(IllegalArgumentException.class, () -> SafetensorsCheckpointWriter.writeSharded(folder, bad, 48));
            assertFalse(Files.exists(folder));
        }
    }

    @Test
    void aSingleFileWinsOverAnIndexAndCustomNamesWork() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path folder = dir.resolve("both");
            SafetensorsCheckpointWriter.writeSharded(folder, sixTensors(), 48);
            SafetensorsWriter.write(folder.resolve("model.safetensors"), Map.of("only", Tensors.floats(1f)));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertEquals(List.of("only"), checkpoint.names());
            }
            SafetensorsWriter.write(folder.resolve("adapter_model.safetensors"), Map.of("lora", Tensors.floats(2f)));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder, "adapter_model.safetensors")) {
                assertEquals(List.of("lora"), checkpoint.names());
            }
        }
    }

    @Test
    void aFolderWithoutWeightsIsReported() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("empty"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsCheckpoint.open(folder));
        assertTrue(e.getMessage().contains("model.safetensors.index.json"), e.getMessage());
    }

    @Test
    void shardsMayBeSymbolicLinksLikeInTheHuggingFaceCache() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path written = dir.resolve("written");
            Map<String, Tensor> tensors = sixTensors();
            SafetensorsCheckpointWriter.writeSharded(written, tensors, 48);
            Path blobs = Files.createDirectories(dir.resolve("blobs"));
            Path snapshot = Files.createDirectories(dir.resolve("snapshots/abc123"));
            for (String name : contents(written)) {
                Path blob = Files.move(written.resolve(name), blobs.resolve("blob-" + name));
                Files.createSymbolicLink(snapshot.resolve(name), blob);
            }
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(snapshot)) {
                assertSameTensors(tensors, checkpoint);
            }
        }
    }

    // --- index validation -------------------------------------------------------------------------

    /** A folder with shards one.safetensors (a, b) and two.safetensors (c) and the given index text. */
    private Path folderWithIndex(String index) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("idx" + System.nanoTime()));
        SafetensorsWriter.write(folder.resolve("one.safetensors"),
                Map.of("a", Tensors.floats(1f), "b", Tensors.floats(2f)));
        SafetensorsWriter.write(folder.resolve("two.safetensors"), Map.of("c", Tensors.floats(3f)));
        Files.writeString(folder.resolve("model.safetensors.index.json"), index);
        return folder;
    }

    private static String index(String weightMap) {
        return "{\"metadata\":{\"total_size\":12},\"weight_map\":{" + weightMap + "}}";
    }

    private void assertIndexInvalid(String indexText, String tensor, String... fragments) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path folder = folderWithIndex(indexText);
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                    () -> SafetensorsCheckpoint.open(folder));
            String message = e.getMessage();
            assertTrue(message.startsWith(folder.resolve("model.safetensors.index.json") + ": "), message);
            if (tensor != null) assertTrue(message.contains("tensor '" + tensor + "'"), message);
            for (String f : fragments) assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
        }
    }

    @Test
    void aConsistentHandWrittenIndexOpens() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            // "./one.safetensors" and "one.safetensors" are the same shard, not two.
            Path folder = folderWithIndex(index("\"a\":\"one.safetensors\",\"b\":\"./one.safetensors\",\"c\":\"two.safetensors\""));
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                assertEquals(List.of("a", "b", "c"), checkpoint.names());
                assertEquals(3.0, Tensors.item(checkpoint.load("c")));
            }
            Path relative = Path.of("").toAbsolutePath().relativize(folder);
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(relative)) {
                assertTrue(Files.isSameFile(folder.resolve("two.safetensors"), checkpoint.info("c").file()));
                assertEquals(2.0, Tensors.item(checkpoint.load("b")));
            }
        }
    }

    @Test
    void indexNamingAMissingShard() throws IOException {
        assertIndexInvalid(index("\"a\":\"one.safetensors\",\"b\":\"one.safetensors\",\"c\":\"three.safetensors\""),
                "c", "shard 'three.safetensors' does not exist");
    }

    @Test
    void indexEscapingTheFolder() throws IOException {
        Files.createDirectories(dir);
        SafetensorsWriter.write(dir.resolve("outside.safetensors"), Map.of("c", Tensors.floats(3f)));
        String one = "\"a\":\"one.safetensors\",\"b\":\"one.safetensors\",";
        assertIndexInvalid(index(one + "\"c\":\"../outside.safetensors\""), "c", "contains '..'");
        assertIndexInvalid(index(one + "\"c\":\"sub/../../outside.safetensors\""), "c", "contains '..'");
        assertIndexInvalid(index(one + "\"c\":\"" + dir.resolve("outside.safetensors").toAbsolutePath() + "\""), "c",
                "absolute path");
        assertIndexInvalid(index(one + "\"c\":\".\""), "c", "inside the checkpoint folder");
    }

    @Test
    void indexMappingATensorItsShardLacks() throws IOException {
        assertIndexInvalid(index("\"a\":\"one.safetensors\",\"b\":\"one.safetensors\",\"c\":\"one.safetensors\""),
                "c", "mapped to shard 'one.safetensors', which does not contain it");
    }

    @Test
    void tensorInTwoShards() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path folder = folderWithIndex(index("\"a\":\"one.safetensors\",\"b\":\"one.safetensors\",\"c\":\"two.safetensors\""));
            SafetensorsWriter.write(folder.resolve("two.safetensors"),
                    Map.of("b", Tensors.floats(9f), "c", Tensors.floats(3f)));
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                    () -> SafetensorsCheckpoint.open(folder));
            assertTrue(e.getMessage().contains("tensor 'b'") && e.getMessage().contains("'two.safetensors'")
                    && e.getMessage().contains("'one.safetensors'") && e.getMessage().contains("exactly one shard"),
                    e.getMessage());
        }
    }

    @Test
    void shardHoldingATensorTheIndexOmits() throws IOException {
        assertIndexInvalid(index("\"a\":\"one.safetensors\",\"c\":\"two.safetensors\""), "b",
                "missing from the weight_map");
    }

    @Test
    void malformedIndexFiles() throws IOException {
        assertIndexInvalid("{\"weight_map\":{\"a\":\"one.safetensors\",\"a\":\"two.safetensors\"}}", null,
                "not valid JSON", "Duplicate field 'a'");
        assertIndexInvalid("{\"weight_map\":", null, "not valid JSON");
        assertIndexInvalid("{\"weight_map\":{}} {}", null, "not valid JSON");
        assertIndexInvalid("[]", null, "not a JSON object");
        assertIndexInvalid("{\"metadata\":{}}", null, "no 'weight_map' object");
        assertIndexInvalid("{\"weight_map\":[\"one.safetensors\"]}", null, "no 'weight_map' object");
        assertIndexInvalid(index("\"a\":1"), "a", "must be a shard file name");
        assertIndexInvalid(index("\"a\":\"\""), "a", "must be a shard file name");
    }

    @Test
    void aBrokenShardIsReportedByItsOwnName() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path folder = folderWithIndex(index("\"a\":\"one.safetensors\",\"b\":\"one.safetensors\",\"c\":\"two.safetensors\""));
            Path two = folder.resolve("two.safetensors");
            byte[] bytes = Files.readAllBytes(two);
            Files.write(two, java.util.Arrays.copyOf(bytes, bytes.length - 1));
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
                    () -> SafetensorsCheckpoint.open(folder));
            assertEquals(two.toAbsolutePath(), e.file().toAbsolutePath());
        }
    }
}
