package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.floatBytes;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.raw;

/** One test per way a file can break the format; each checks the message names the file and tensor. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    private static final String F32_A = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /** Opens {@code bytes} as a file, expects rejection, and checks the message. */
    private SafetensorsFormatException assertInvalid(byte[] bytes, String tensor, String... fragments) throws IOException {
        Path file = SafetensorsTestFiles.write(dir, "broken.safetensors", bytes);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file));
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        assertEquals(file, e.file());
        assertEquals(Optional.ofNullable(tensor), e.tensor(), message);
        if (tensor != null) assertTrue(message.contains("tensor " + SafetensorsFormatException.quote(tensor)), message);
        for (String f : fragments) assertTrue(message.contains(f), "expected '" + f + "' in: " + message);
        return e;
    }

    private SafetensorsFormatException assertInvalid(String json, byte[] data, String tensor, String... fragments)
            throws IOException {
        return assertInvalid(raw(json, data), tensor, fragments);
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    @Test
    void fileShorterThanTheLengthPrefix() throws IOException {
        assertInvalid(new byte[0], null, "0 bytes", "too short");
        assertInvalid(new byte[7], null, "7 bytes", "too short");
    }

    @Test
    void headerLengthAboveTheLimit() throws IOException {
        assertInvalid(raw(100_000_001L, new byte[0], new byte[0]), null, "100000001", "exceeds the limit");
        assertInvalid(raw(-1L, new byte[0], new byte[0]), null, "18446744073709551615", "exceeds the limit");
    }

    @Test
    void headerLengthLongerThanTheFile() throws IOException {
        byte[] header = F32_A.getBytes(StandardCharsets.UTF_8);
        assertInvalid(raw(header.length + 9, header, new byte[8]), null, "header length " + (header.length + 9),
                "runs past the end");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] header = "{\"a\u00e9\":{}}".getBytes(StandardCharsets.ISO_8859_1);
        assertInvalid(raw(header.length, header, new byte[0]), null, "not valid UTF-8");
    }

    @Test
    void headerNotJson() throws IOException {
        assertInvalid("{\"a\":{\"dtype\":\"F32\",", new byte[0], null, "not valid JSON");
        assertInvalid("{'a':1}", new byte[0], null, "not valid JSON");
        assertInvalid("", new byte[0], null, "not a JSON object");
        assertInvalid("{} x", new byte[0], null, "not valid JSON");
        assertInvalid("{} {}", new byte[0], null, "after the header's JSON object");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertInvalid("[1,2]", new byte[0], null, "not a JSON object");
        assertInvalid("\"a\"", new byte[0], null, "not a JSON object");
        assertInvalid("null", new byte[0], null, "not a JSON object");
    }

    @Test
    void entryNotAnObject() throws IOException {
        assertInvalid("{\"a\":[0,8]}", new byte[8], "a", "must be an object");
        assertInvalid("{\"a\":null}", new byte[8], "a", "must be an object");
    }

    @Test
    void entryMissingAField() throws IOException {
        assertInvalid("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", new byte[8], "a", "missing field 'data_offsets'");
        assertInvalid("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8], "a", "missing field 'dtype'");
    }

    @Test
    void entryWithAnExtraField() throws IOException {
        assertInvalid("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"stride\":[1]}}", new byte[8],
                "a", "unexpected field 'stride'");
    }

    @Test
    void unknownDtype() throws IOException {
        assertInvalid("{" + entry("a", "F8_E4M3", "[2]", "[0,2]") + "}", new byte[2], "a",
                "unsupported dtype 'F8_E4M3'", "BF16");
        assertInvalid("{" + entry("a", "f32", "[2]", "[0,8]") + "}", new byte[8], "a", "unsupported dtype 'f32'");
        assertInvalid("{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8], "a",
                "dtype must be a string");
    }

    @Test
    void shapeNotAListOfNonNegativeIntegers() throws IOException {
        assertInvalid("{" + entry("a", "F32", "2", "[0,8]") + "}", new byte[8], "a", "shape must be a list");
        assertInvalid("{" + entry("a", "F32", "[-2]", "[0,8]") + "}", new byte[8], "a", "non-negative integers", "[-2]");
        assertInvalid("{" + entry("a", "F32", "[2.0]", "[0,8]") + "}", new byte[8], "a", "non-negative integers");
        assertInvalid("{" + entry("a", "F32", "[\"2\"]", "[0,8]") + "}", new byte[8], "a", "non-negative integers");
        assertInvalid("{" + entry("a", "F32", "[18446744073709551614]", "[0,8]") + "}", new byte[8], "a",
                "non-negative integers");
    }

    @Test
    void offsetsNotTwoNonNegativeIntegersInOrder() throws IOException {
        assertInvalid("{" + entry("a", "F32", "[2]", "[8]") + "}", new byte[8], "a", "two non-negative integers");
        assertInvalid("{" + entry("a", "F32", "[2]", "[0,8,16]") + "}", new byte[8], "a", "two non-negative integers");
        assertInvalid("{" + entry("a", "F32", "[2]", "[-8,0]") + "}", new byte[8], "a", "two non-negative integers");
        assertInvalid("{" + entry("a", "F32", "[2]", "{\"begin\":0}") + "}", new byte[8], "a", "two non-negative integers");
        assertInvalid("{" + entry("a", "F32", "[0]", "[8,0]") + "}", new byte[8], "a", "[8, 0]", "end before they begin");
    }

    @Test
    void byteSpanDisagreesWithShapeAndDtype() throws IOException {
        assertInvalid("{" + entry("a", "F32", "[2]", "[0,12]") + "}", new byte[12], "a", "needs 8 bytes", "span 12");
        assertInvalid("{" + entry("a", "F64", "[2]", "[0,8]") + "}", new byte[8], "a", "needs 16 bytes", "span 8");
        assertInvalid("{" + entry("a", "I32", "[2,9223372036854775807]", "[0,16]") + "}", new byte[16], "a",
                "overflows");
    }

    @Test
    void offsetsBeyondTheFile() throws IOException {
        assertInvalid(F32_A, new byte[4], "a", "[0, 8]", "run past the end of the 4-byte data buffer");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertInvalid("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}",
                new byte[12], "b", "overlap tensor 'a'");
        // The same bytes claimed twice: aliasing is overlap too.
        assertInvalid("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[0,8]") + "}",
                new byte[8], "b", "overlap tensor 'a'");
        // A zero-sized tensor inside another one, as the reference implementation also rejects.
        assertInvalid("{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("e", "F32", "[0]", "[4,4]") + "}",
                new byte[8], "e", "overlap tensor 'a'");
    }

    @Test
    void holesInTheDataBuffer() throws IOException {
        assertInvalid("{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("b", "F32", "[1]", "[8,12]") + "}",
                new byte[12], "b", "[4, 8)", "belong to no tensor");
        assertInvalid("{" + entry("a", "F32", "[1]", "[4,8]") + "}", new byte[8], "a", "[0, 4)", "belong to no tensor");
    }

    @Test
    void trailingBytesAfterTheLastTensor() throws IOException {
        assertInvalid("{" + entry("a", "F32", "[1]", "[0,4]") + "}", new byte[7], null, "3 bytes after the last tensor");
        assertInvalid("{}", new byte[1], null, "1 bytes after the last tensor");
    }

    @Test
    void duplicateNames() throws IOException {
        assertInvalid("{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("a", "F32", "[1]", "[4,8]") + "}",
                new byte[8], "a", "appears twice");
        assertInvalid("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0], null, "__metadata__ appears twice");
        // Inside an entry Jackson's own duplicate detection speaks, naming the field.
        assertInvalid("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4],
                null, "not valid JSON", "dtype");
        assertInvalid("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0], null, "not valid JSON", "'k'");
    }

    @Test
    void metadataNotAStringToStringMap() throws IOException {
        assertInvalid("{\"__metadata__\":[\"a\"]}", new byte[0], null, "__metadata__ must be an object");
        assertInvalid("{\"__metadata__\":null}", new byte[0], null, "__metadata__ must be an object");
        assertInvalid("{\"__metadata__\":{\"step\":12}}", new byte[0], null, "key 'step' must be a string");
        assertInvalid("{\"__metadata__\":{\"nested\":{\"a\":\"b\"}}}", new byte[0], null, "key 'nested' must be a string");
    }

    @Test
    void namesWithControlCharactersCannotForgeMessages() throws IOException {
        assertInvalid("{\"x\\n/etc/passwd: ok\":5}", new byte[0], "x\n/etc/passwd: ok", "'x\\u000a/etc/passwd: ok'");
    }

    @Test
    void nonCanonicalBooleansAreRejectedOnLoad() throws IOException {
        Path file = SafetensorsTestFiles.write(dir, "bool.safetensors",
                raw("{" + entry("flags", "BOOL", "[3]", "[0,3]") + "}", new byte[] {1, 0, 2}));
        try (PointerScope scope = new PointerScope(); SafetensorsFile st = SafetensorsFile.open(file)) {
            SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> st.load("flags"));
            assertTrue(e.getMessage().contains("tensor 'flags'") && e.getMessage().contains("element 2"), e.getMessage());
        }
    }

    @Test
    void acceptsWhatTheReferenceAccepts() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            // Unpadded header, as older writers produced (the reference's own documentation example).
            Path unpadded = SafetensorsTestFiles.write(dir, "unpadded.safetensors",
                    raw("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", new byte[16]));
            try (SafetensorsFile st = SafetensorsFile.open(unpadded)) {
                assertArrayEquals(new long[] {0, 0, 0, 0}, Tensors.toLongArray(st.load("test")));
            }
            // JSON whitespace before and after the object; an empty file of tensors.
            for (String header : new String[] {"{}\r \t\n", "\t\n{}\r ", "{}"}) {
                Path file = SafetensorsTestFiles.write(dir, "ws.safetensors", raw(header, new byte[0]));
                try (SafetensorsFile st = SafetensorsFile.open(file)) {
                    assertTrue(st.names().isEmpty());
                    assertTrue(st.metadata().isEmpty());
                }
            }
            // Field order inside an entry, and tensor order in the JSON, are free.
            Path reordered = SafetensorsTestFiles.write(dir, "reordered.safetensors", raw(
                    "{\"b\":{\"data_offsets\":[4,8],\"shape\":[],\"dtype\":\"F32\"},"
                            + "\"__metadata__\":{\"k\":\"v\"},\"a\":{\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,4]}}",
                    floatBytes(1f, 2f)));
            try (SafetensorsFile st = SafetensorsFile.open(reordered)) {
                assertEquals(java.util.List.of("a", "b"), st.names());
                assertEquals(2.0, Tensors.item(st.load("b")));
                assertEquals(java.util.Map.of("k", "v"), st.metadata());
            }
        }
    }
}
