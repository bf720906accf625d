package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.bytes;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.bytesOf;
import static org.vco4j.tensor.safetensors.SafetensorsTestFiles.doubles;

class SafetensorsRoundTripTest {
    @TempDir
    Path dir;

    /** One tensor per dtype, holding that dtype's awkward values (extremes, signed zero, NaN, subnormals). */
    static Map<String, Tensor> everyDtype() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("f32", Tensors.floats(new float[] {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE,
                Float.NEGATIVE_INFINITY, Float.NaN}, 2, 3));
        t.put("f64", doubles(new double[] {Math.PI, -0.0, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NaN}, 3, 2));
        // All exactly representable in half: 1, -2.5, max, smallest normal, smallest subnormal, infinity.
        t.put("f16", Tensors.floats(1f, -2.5f, 65504f, 0x1p-14f, 0x1p-24f, Float.POSITIVE_INFINITY)
                .to(ScalarType.Half));
        t.put("bf16", Tensors.floats(1f, -2f, Float.intBitsToFloat(0x7F7F0000), 0.15625f).to(ScalarType.BFloat16));
        t.put("i64", Tensors.longs(Long.MIN_VALUE, -1, 0, Long.MAX_VALUE));
        t.put("i32", Tensors.longs(Integer.MIN_VALUE, -1, Integer.MAX_VALUE).to(ScalarType.Int));
        t.put("i16", Tensors.longs(Short.MIN_VALUE, -1, Short.MAX_VALUE).to(ScalarType.Short));
        t.put("i8", Tensors.longs(Byte.MIN_VALUE, -1, Byte.MAX_VALUE).to(ScalarType.Char));
        t.put("u8", Tensors.longs(0, 1, 255).to(ScalarType.Byte));
        t.put("bool", Tensors.longs(new long[] {1, 0, 0, 1}, 2, 2).to(ScalarType.Bool));
        return t;
    }

    @Test
    void everyDtypeRoundTripsBitExactly() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = everyDtype();
            Path file = dir.resolve("all.safetensors");
            SafetensorsWriter.write(file, tensors);
            // A tiny map chunk forces every tensor through several mapped regions.
            for (int chunk : new int[] {SafetensorsFile.DEFAULT_MAP_CHUNK_BYTES, 3}) {
                try (SafetensorsFile st = SafetensorsFile.open(file, chunk)) {
                    assertEquals(tensors.keySet(), Set.copyOf(st.names()));
                    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                        Tensor original = e.getValue();
                        Tensor loaded = st.load(e.getKey());
                        assertEquals(original.scalar_type().intern(), loaded.scalar_type().intern(), e.getKey());
                        assertArrayEquals(Tensors.shape(original), Tensors.shape(loaded), e.getKey());
                        assertArrayEquals(bytesOf(original), bytesOf(loaded), e.getKey());
                        TensorInfo info = st.info(e.getKey());
                        assertEquals(SafetensorsDType.fromScalarType(original.scalar_type().intern()).orElseThrow(), info.dtype());
                        assertArrayEquals(Tensors.shape(original), info.shape());
                        assertEquals(original.nbytes(), info.byteSize());
                    }
                    assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, Tensors.toLongArray(st.load("i64")));
                    assertArrayEquals(new long[] {0, 1, 255}, Tensors.toLongArray(st.load("u8")));
                    assertArrayEquals(new long[] {-128, -1, 127}, Tensors.toLongArray(st.load("i8")));
                    assertArrayEquals(new float[] {1, 0, 0, 1}, Tensors.toFloatArray(st.load("bool")));
                }
            }
        }
    }

    @Test
    void storesLittleEndianElementsAsTheFormatDefines() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path file = dir.resolve("enc.safetensors");
            SafetensorsWriter.write(file, everyDtype());
            byte[] raw = Files.readAllBytes(file);
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                assertArrayEquals(bytes(0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x00, 0x04, 0x01, 0x00, 0x00, 0x7C),
                        slice(raw, st, "f16"));
                assertArrayEquals(bytes(0x80, 0x3F, 0x00, 0xC0, 0x7F, 0x7F, 0x20, 0x3E), slice(raw, st, "bf16"));
                assertArrayEquals(bytes(0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F),
                        slice(raw, st, "i32"));
                assertArrayEquals(bytes(1, 0, 0, 1), slice(raw, st, "bool"));
                assertArrayEquals(bytes(0, 0, 0xC0, 0x3F), Arrays.copyOf(slice(raw, st, "f32"), 4));
            }
        }
    }

    private static byte[] slice(byte[] raw, SafetensorsFile st, String name) {
        TensorInfo info = st.info(name);
        int start = (int) (8 + SafetensorsTestFiles.headerLength(raw) + info.begin());
        return Arrays.copyOfRange(raw, start, start + (int) info.byteSize());
    }

    @Test
    void zeroSizedTensorsAndScalarsRoundTrip() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("empty", Tensors.floats(new float[0], 0));
            tensors.put("empty3d", Tensors.floats(new float[0], 2, 0, 3));
            tensors.put("emptyBool", Tensors.longs(new long[0], 0).to(ScalarType.Bool));
            tensors.put("scalar", Tensors.scalar(3.5));
            tensors.put("scalarLong", Tensors.longs(new long[] {-7}, new long[0]));
            Path file = dir.resolve("small.safetensors");
            SafetensorsWriter.write(file, tensors);
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                assertArrayEquals(new long[] {2, 0, 3}, Tensors.shape(st.load("empty3d")));
                assertEquals(0, st.info("empty3d").byteSize());
                assertEquals(0, st.load("empty").numel());
                assertEquals(ScalarType.Bool, st.load("emptyBool").scalar_type().intern());
                Tensor scalar = st.load("scalar");
                assertEquals(0, scalar.dim());
                assertArrayEquals(new long[0], st.info("scalar").shape());
                assertEquals(1, st.info("scalar").numel());
                assertEquals(3.5, Tensors.item(scalar));
                assertEquals(0, st.load("scalarLong").dim());
                assertEquals(-7, Tensors.toLongArray(st.load("scalarLong"))[0]);
            }
        }
    }

    @Test
    void metadataAndUnusualNamesRoundTrip() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, String> metadata = Map.of("format", "pt", "quote\"back\\slash", "line\nbreak\ttab\u0001",
                    "unicode ∑", "émoji 🙂", "", "");
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String name : List.of("model.layers.0.weight", "with \"quotes\"", "päth/ünïcode/🙂", "", " ")) {
                tensors.put(name, Tensors.floats(1f, 2f));
            }
            Path file = dir.resolve("meta.safetensors");
            SafetensorsWriter.write(file, tensors, metadata);
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                assertEquals(metadata, st.metadata());
                assertEquals(tensors.keySet(), Set.copyOf(st.names()));
                for (String name : tensors.keySet()) {
                    assertArrayEquals(new float[] {1, 2}, Tensors.toFloatArray(st.load(name)), name);
                }
            }

            Path bare = dir.resolve("bare.safetensors");
            SafetensorsWriter.write(bare, tensors, Map.of());
            assertFalse(SafetensorsTestFiles.headerText(Files.readAllBytes(bare)).contains("__metadata__"));
            try (SafetensorsFile st = SafetensorsFile.open(bare)) {
                assertTrue(st.metadata().isEmpty());
            }
        }
    }

    @Test
    void headerIsPaddedWithSpacesSoEveryTensorIsAligned() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            for (int length = 1; length <= 16; length++) {
                Map<String, Tensor> tensors = new LinkedHashMap<>(everyDtype());
                tensors.put("n".repeat(length), Tensors.floats(1f));
                Path file = dir.resolve("pad" + length + ".safetensors");
                SafetensorsWriter.write(file, tensors);
                byte[] raw = Files.readAllBytes(file);
                long headerLength = SafetensorsTestFiles.headerLength(raw);
                assertEquals(0, headerLength % 8, "header length " + headerLength);
                String header = SafetensorsTestFiles.headerText(raw);
                String json = header.stripTrailing();
                assertTrue(header.length() - json.length() < 8);
                assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
                try (SafetensorsFile st = SafetensorsFile.open(file)) {
                    for (TensorInfo info : st.infos()) {
                        assertEquals(0, (8 + headerLength + info.begin()) % info.dtype().byteSize(), info.toString());
                    }
                }
            }
        }
    }

    @Test
    void writesWidestDtypesFirstThenByName() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("z_bool", Tensors.longs(1).to(ScalarType.Bool));
            tensors.put("b_f32", Tensors.floats(1f));
            tensors.put("a_f32", Tensors.floats(1f));
            tensors.put("y_i64", Tensors.longs(1));
            tensors.put("c_bf16", Tensors.floats(1f).to(ScalarType.BFloat16));
            tensors.put("d_f64", Tensors.floats(1f).to(ScalarType.Double));
            tensors.put("e_u8", Tensors.longs(1).to(ScalarType.Byte));
            Path file = dir.resolve("order.safetensors");
            SafetensorsWriter.write(file, tensors);
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                assertEquals(List.of("y_i64", "d_f64", "a_f32", "b_f32", "c_bf16", "e_u8", "z_bool"), st.names());
            }
        }
    }

    @Test
    void viewsAreWrittenInLogicalOrder() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Tensor base = Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Map<String, Tensor> tensors = Map.of("transposed", base.transpose(0, 1), "narrowed", base.narrow(1, 1, 2));
            Path file = dir.resolve("views.safetensors");
            SafetensorsWriter.write(file, tensors, null, 5);
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Tensors.toFloatArray(st.load("transposed")));
                assertArrayEquals(new long[] {3, 2}, Tensors.shape(st.load("transposed")));
                assertArrayEquals(new float[] {2, 3, 5, 6}, Tensors.toFloatArray(st.load("narrowed")));
            }
        }
    }

    @Test
    void loadedTensorsOwnTheirMemory() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path file = dir.resolve("own.safetensors");
            SafetensorsWriter.write(file, Map.of("w", Tensors.floats(new float[] {1, 2, 3, 4}, 2, 2)));
            Tensor loaded;
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                loaded = st.load("w");
            }
            Files.delete(file);
            System.gc();
            assertArrayEquals(new float[] {1, 2, 3, 4}, Tensors.toFloatArray(loaded));
            assertArrayEquals(new float[] {2, 4, 6, 8}, Tensors.toFloatArray(loaded.mul(Tensors.scalar(2))));
        }
    }

    @Test
    void loadConvertsToTheRequestedType() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path file = dir.resolve("conv.safetensors");
            SafetensorsWriter.write(file, Map.of("h", Tensors.floats(1.5f, -2f).to(ScalarType.Half)));
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                Tensor f = st.load("h", ScalarType.Float);
                assertEquals(ScalarType.Float, f.scalar_type().intern());
                assertArrayEquals(new float[] {1.5f, -2f}, Tensors.toFloatArray(f));
                assertEquals(ScalarType.Half, st.load("h", ScalarType.Half).scalar_type().intern());
            }
        }
    }

    @Test
    void unknownNamesAndClosedFilesFailClearly() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path file = dir.resolve("named.safetensors");
            SafetensorsWriter.write(file, Map.of("w", Tensors.floats(1f)));
            SafetensorsFile st = SafetensorsFile.open(file);
            assertFalse(st.contains("v"));
            NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> st.load("v"));
            assertTrue(missing.getMessage().contains(file.toString()) && missing.getMessage().contains("'v'"));
            st.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> st.load("w"));
            assertTrue(closed.getMessage().contains(file.toString()));
        }
    }

    @Test
    void aFileTruncatedAfterOpeningFailsInsteadOfFaulting() throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Path file = dir.resolve("shrinks.safetensors");
            SafetensorsWriter.write(file, Map.of("w", Tensors.floats(new float[1024], 1024)));
            try (SafetensorsFile st = SafetensorsFile.open(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(ch.size() - 100);
                }
                IOException e = assertThrows(IOException.class, () -> st.load("w"));
                assertTrue(e.getMessage().contains("changed size"), e.getMessage());
            }
        }
    }
}
