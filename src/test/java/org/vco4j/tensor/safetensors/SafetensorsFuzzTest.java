package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seeded random corruptions of a valid file. Every one must either open with consistent data (every
 * tensor loads, with the info's dtype and shape and exactly the bytes the info points at) or be
 * rejected with {@link SafetensorsFormatException}; any other exception, or a crash, is a bug.
 */
class SafetensorsFuzzTest {
    private static final long SEED = 0x5AFE7E45L;
    private static final int ROUNDS = 3000;
    private static final String JSON_CHARS = "{}[]\",:0123456789-.eE azZ\\";
    private static final String[] NUMBERS = {"-1", "0", "1", "3", "8", "1e3", "2.5", "-0", "007",
            "9223372036854775807", "9223372036854775808", "18446744073709551616", "100000000"};
    private static final String[] DTYPES = {"F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL",
            "U16", "F8_E4M3", "C64", "f32", ""};

    @TempDir
    Path dir;

    private static byte[] validFile(Path folder) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            tensors.put("w", Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            tensors.put("ids", Tensors.longs(5, -6));
            tensors.put("mask", Tensors.longs(1, 0, 1).to(ScalarType.Bool));
            tensors.put("h", Tensors.floats(0.5f, 1.5f).to(ScalarType.Half));
            tensors.put("s", Tensors.scalar(9));
            tensors.put("e", Tensors.floats(new float[0], 0, 4));
            tensors.put("u", Tensors.longs(200).to(ScalarType.Byte));
            Path file = folder.resolve("valid.safetensors");
            SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));
            return Files.readAllBytes(file);
        }
    }

    @Test
    void corruptedFilesAreRejectedCleanlyOrReadConsistently() throws IOException {
        byte[] valid = validFile(dir);
        Random random = new Random(SEED);
        Path file = dir.resolve("fuzzed.safetensors");
        int opened = 0;
        int rejectedAtOpen = 0;
        int rejectedAtLoad = 0;
        for (int round = 0; round < ROUNDS; round++) {
            List<String> steps = new ArrayList<>();
            byte[] bytes = valid;
            int mutations = 1 + (random.nextInt(4) == 0 ? 1 : 0);
            for (int m = 0; m < mutations; m++) bytes = mutate(bytes, random, steps);
            Files.write(file, bytes);
            String context = "round " + round + " " + steps;
            try (PointerScope scope = new PointerScope(); SafetensorsFile st = SafetensorsFile.open(file)) {
                opened++;
                for (String name : st.names()) {
                    try {
                        checkConsistent(st, name, bytes, context);
                    } catch (SafetensorsFormatException e) {
                        assertTrue(e.getMessage().startsWith(file + ": "), context + ": " + e.getMessage());
                        rejectedAtLoad++;
                    }
                }
            } catch (SafetensorsFormatException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), context + ": " + e.getMessage());
                rejectedAtOpen++;
            } catch (Throwable t) {
                fail(context + ": unexpected " + t, t);
            }
        }
        // The corruptions must actually exercise both outcomes.
        assertTrue(opened > 100, "opened " + opened);
        assertTrue(rejectedAtOpen > 1000, "rejected " + rejectedAtOpen);
        assertTrue(rejectedAtLoad > 0, "no corrupted boolean was caught at load");
    }

    private static void checkConsistent(SafetensorsFile st, String name, byte[] file, String context)
            throws IOException {
        TensorInfo info = st.info(name);
        Tensor t = st.load(name);
        assertEquals(info.dtype().scalarType().value, t.scalar_type().value, context);
        assertArrayEquals(info.shape(), Tensors.shape(t), context);
        assertEquals(info.numel(), t.numel(), context);
        int start = (int) (8 + SafetensorsTestFiles.headerLength(file) + info.begin());
        assertArrayEquals(Arrays.copyOfRange(file, start, (int) (start + info.byteSize())),
                SafetensorsTestFiles.bytesOf(t), context + " " + name);
    }

    private static byte[] mutate(byte[] in, Random random, List<String> steps) {
        byte[] out = in.clone();
        long headerLength = out.length >= 8 ? SafetensorsTestFiles.headerLength(out) : -1;
        boolean sane = headerLength >= 0 && headerLength <= out.length - 8;
        int kind = random.nextInt(7);
        switch (kind) {
            case 0 -> { // bit flips, mostly in the length prefix and header
                int flips = 1 + random.nextInt(3);
                int bound = sane ? (int) (8 + headerLength) : out.length;
                for (int i = 0; i < flips && bound > 0; i++) {
                    int at = random.nextInt(bound);
                    out[at] ^= (byte) (1 << random.nextInt(8));
                    steps.add("flip@" + at);
                }
                return out;
            }
            case 1 -> {
                int length = random.nextInt(out.length + 1);
                steps.add("truncate to " + length);
                return Arrays.copyOf(out, length);
            }
            case 2 -> {
                if (out.length < 8) return out;
                long value = switch (random.nextInt(6)) {
                    case 0 -> random.nextLong();
                    case 1 -> random.nextInt(out.length + 16);
                    case 2 -> headerLength + random.nextInt(17) - 8;
                    case 3 -> 100_000_000L + random.nextInt(3) - 1;
                    case 4 -> Long.MAX_VALUE - random.nextInt(2);
                    default -> 0;
                };
                ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
                steps.add("length=" + value);
                return out;
            }
            case 3, 4 -> {
                return sane ? editJson(out, (int) headerLength, random, steps) : out;
            }
            case 5 -> { // corrupt data bytes (booleans included)
                if (!sane || out.length == 8 + headerLength) return out;
                int start = (int) (8 + headerLength);
                int at = start + random.nextInt(out.length - start);
                out[at] = (byte) random.nextInt(256);
                steps.add("data@" + at);
                return out;
            }
            default -> {
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                steps.add("append " + extra.length);
                byte[] longer = Arrays.copyOf(out, out.length + extra.length);
                System.arraycopy(extra, 0, longer, out.length, extra.length);
                return longer;
            }
        }
    }

    /** A textual edit of the JSON, usually with the length prefix fixed up so the JSON itself is tested. */
    private static byte[] editJson(byte[] file, int headerLength, Random random, List<String> steps) {
        String json = new String(file, 8, headerLength, StandardCharsets.UTF_8);
        if (json.isEmpty()) return file;
        String edited;
        switch (random.nextInt(6)) {
            case 0 -> {
                int at = random.nextInt(json.length());
                edited = json.substring(0, at) + json.substring(at + 1);
                steps.add("delete@" + at);
            }
            case 1 -> {
                int at = random.nextInt(json.length() + 1);
                char c = JSON_CHARS.charAt(random.nextInt(JSON_CHARS.length()));
                edited = json.substring(0, at) + c + json.substring(at);
                steps.add("insert '" + c + "'@" + at);
            }
            case 2 -> edited = replaceOne(json, Pattern.compile("-?\\d+"), NUMBERS, random, steps);
            case 3 -> edited = replaceOne(json, Pattern.compile("(?<=\"dtype\":\")[A-Z0-9]+"), DTYPES, random, steps);
            case 4 -> { // swap two quoted strings: names, fields, dtypes
                Matcher m = Pattern.compile("\"[^\"]*\"").matcher(json);
                List<int[]> spans = new ArrayList<>();
                while (m.find()) spans.add(new int[] {m.start(), m.end()});
                if (spans.isEmpty()) return file;
                int[] a = spans.get(random.nextInt(spans.size()));
                int[] b = spans.get(random.nextInt(spans.size()));
                if (a[0] > b[0]) {
                    int[] t = a;
                    a = b;
                    b = t;
                }
                edited = a[0] == b[0] ? json : json.substring(0, a[0]) + json.substring(b[0], b[1])
                        + json.substring(a[1], b[0]) + json.substring(a[0], a[1]) + json.substring(b[1]);
                steps.add("swap strings");
            }
            default -> { // repeat one tensor entry: duplicate names and aliased bytes
                Matcher m = Pattern.compile(",\"[a-z]+\":\\{[^}]*}").matcher(json);
                List<String> entries = new ArrayList<>();
                while (m.find()) entries.add(m.group());
                if (entries.isEmpty()) return file;
                String entry = entries.get(random.nextInt(entries.size()));
                edited = json.replace(entry, entry + entry);
                steps.add("repeat " + entry);
            }
        }
        byte[] header = edited.getBytes(StandardCharsets.UTF_8);
        boolean fixLength = random.nextInt(5) != 0;
        long declared = fixLength ? header.length : headerLength;
        byte[] data = Arrays.copyOfRange(file, 8 + headerLength, file.length);
        return SafetensorsTestFiles.raw(declared, header, data);
    }

    private static String replaceOne(String json, Pattern pattern, String[] choices, Random random, List<String> steps) {
        Matcher m = pattern.matcher(json);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return json;
        int[] span = spans.get(random.nextInt(spans.size()));
        String replacement = random.nextInt(4) == 0 ? String.valueOf(random.nextInt(64)) : choices[random.nextInt(choices.length)];
        steps.add("replace '" + json.substring(span[0], span[1]) + "' with '" + replacement + "'");
        return json.substring(0, span[0]) + replacement + json.substring(span[1]);
    }
}
