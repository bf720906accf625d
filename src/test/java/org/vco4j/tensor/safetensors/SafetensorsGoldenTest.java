package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.bytes;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.floatBytes;

/**
 * Exact bytes the reference implementation (the Rust crate behind Python's {@code safetensors}) writes:
 * we must read them, and write the very same bytes for the same input.
 */
class SafetensorsGoldenTest {
    @TempDir
    Path dir;

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void assertWritesExactly(byte[] expected, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Path file = dir.resolve("written.safetensors");
        SafetensorsWriter.write(file, tensors, metadata);
        byte[] written = Files.readAllBytes(file);
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1), new String(written, StandardCharsets.ISO_8859_1));
    }

    private SafetensorsFile openBytes(byte[] bytes) throws IOException {
        return SafetensorsFile.open(SafetensorsTestFiles.write(dir, "golden.safetensors", bytes));
    }

    @Test
    void singleF32Tensor() throws IOException {
        // save_file({"a": torch.tensor([1.0, 2.0])}): 54 bytes of JSON padded with 2 spaces to 56 = 0x38.
        byte[] golden = concat(bytes(0x38, 0, 0, 0, 0, 0, 0, 0),
                ascii("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  "),
                bytes(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40));
        try (PointerScope scope = new PointerScope()) {
            try (SafetensorsFile st = openBytes(golden)) {
                assertEquals(List.of("a"), st.names());
                assertEquals(SafetensorsDType.F32, st.info("a").dtype());
                assertArrayEquals(new float[] {1, 2}, Tensors.toFloatArray(st.load("a")));
            }
            assertWritesExactly(golden, Map.of("a", Tensors.floats(1f, 2f)), null);
        }
    }

    @Test
    void referenceSerializationTestVectors() throws IOException {
        // From the reference crate's test_serialization: {"attn.0": f32 [1,2,3] = 0..5}, header exactly 64 bytes.
        byte[] unpadded = bytes(
                64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);
        // From test_serialization_forced_alignement: {"attn0": f32 [1,1,2,3]}, padded with 7 spaces.
        byte[] padded = bytes(
                72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                160, 64);
        float[] values = {0, 1, 2, 3, 4, 5};
        try (PointerScope scope = new PointerScope()) {
            try (SafetensorsFile st = openBytes(unpadded)) {
                assertArrayEquals(new long[] {1, 2, 3}, st.info("attn.0").shape());
                assertArrayEquals(values, Tensors.toFloatArray(st.load("attn.0")));
            }
            assertWritesExactly(unpadded, Map.of("attn.0", Tensors.floats(values, 1, 2, 3)), null);
            try (SafetensorsFile st = openBytes(padded)) {
                assertArrayEquals(values, Tensors.toFloatArray(st.load("attn0")));
            }
            assertWritesExactly(padded, Map.of("attn0", Tensors.floats(values, 1, 1, 2, 3)), null);
        }
    }

    @Test
    void referenceEmptyFilesWithAndWithoutMetadata() throws IOException {
        // From the reference crate's test_empty.
        byte[] empty = bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32);
        byte[] withMetadata = bytes(
                40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32);
        try (PointerScope scope = new PointerScope()) {
            try (SafetensorsFile st = openBytes(empty)) {
                assertTrue(st.names().isEmpty());
            }
            assertWritesExactly(empty, Map.of(), null);
            try (SafetensorsFile st = openBytes(withMetadata)) {
                assertEquals(Map.of("framework", "pt"), st.metadata());
            }
            assertWritesExactly(withMetadata, Map.of(), Map.of("framework", "pt"));
        }
    }

    @Test
    void namesAreEscapedAsSerdeJsonEscapesThem() throws IOException {
        // serde_json: short escapes for \b \t \n \f \r \" \\, six-character escapes with lower-case hex
        // for other control characters, everything else (including '/', DEL and non-ASCII) verbatim.
        String name = "q\"b\\s/\b\t\n\f\r\u000b\u001f\u007f\u00e9";
        String json = "{\"q\\\"b\\\\s/\\b\\t\\n\\f\\r\\u000b\\u001f\u007f\u00e9\":"
                + "{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        int padding = (8 - header.length % 8) % 8;
        byte[] golden = SafetensorsTestFiles.raw(header.length + padding, concat(header, ascii(" ".repeat(padding))),
                bytes(42));
        try (PointerScope scope = new PointerScope()) {
            try (SafetensorsFile st = openBytes(golden)) {
                assertEquals(List.of(name), st.names());
            }
            assertWritesExactly(golden, Map.of(name, Tensors.longs(new long[] {42}, new long[0]).to(ScalarType.Byte)),
                    null);
        }
    }

    @Test
    void mixedDtypesComeWidestFirstWithMetadataLeading() throws IOException {
        // The reference writer emits __metadata__ first, then tensors by descending dtype alignment
        // (I64 before F32 before BOOL here) and by name within a dtype.
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]},"
                + "\"d\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[20,22]}}";
        // 249 bytes of JSON padded with 7 spaces to 256 = 0x100.
        assertEquals(249, json.length());
        byte[] golden = concat(bytes(0x00, 0x01, 0, 0, 0, 0, 0, 0), ascii(json + "       "),
                bytes(7, 0, 0, 0, 0, 0, 0, 0), floatBytes(1f, 2f, -1f), bytes(1, 0));
        try (PointerScope scope = new PointerScope()) {
            try (SafetensorsFile st = openBytes(golden)) {
                assertEquals(List.of("b", "a", "c", "d"), st.names());
                assertArrayEquals(new long[] {7}, Tensors.toLongArray(st.load("b")));
                assertEquals(-1.0, Tensors.item(st.load("c")));
                assertArrayEquals(new float[] {1, 0}, Tensors.toFloatArray(st.load("d")));
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("d", Tensors.longs(1, 0).to(ScalarType.Bool));
            tensors.put("c", Tensors.scalar(-1));
            tensors.put("a", Tensors.floats(1f, 2f));
            tensors.put("b", Tensors.longs(7));
            assertWritesExactly(golden, tensors, Map.of("format", "pt"));
        }
    }
}
