package org.vco4j.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vco4j.data.TestData.jsonl;
import static org.vco4j.data.TestData.png;

class SampleReaderTest {
    private static final String GOOD = "{'id': 'ok', 'images': ['m.png', 'm2.png'], 'prompt': 'What colour is the ball?',"
            + " 'responses': ['The ball is red.', 'The ball is blue.']}";

    @TempDir
    Path folder;
    Path data;
    Path file;

    @BeforeEach
    void images() throws IOException {
        data = folder.resolve("data");
        png(data.resolve("m.png"), 4, 4, 1);
        png(data.resolve("m2.png"), 4, 4, 2);
        png(data.resolve("img/cat.png"), 4, 4, 3);
        file = data.resolve("data.jsonl");
    }

    @Test
    void everyImageIsCheckedWhenTheFileIsReadNamingItsFirstUse() throws IOException {
        Path good = png(data.resolve("big.png"), 64, 64, 4);
        byte[] bytes = Files.readAllBytes(good);
        Files.write(data.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));
        Files.writeString(data.resolve("notes.png"), "not an image");
        jsonl(file, GOOD,
                "{'id': 'a', 'images': ['truncated.png'], 'prompt': 'Q?', 'chosen': 'yes', 'rejected': 'no'}",
                "{'id': 'b', 'images': ['m.png', 'notes.png'], 'prompt': 'Q?', 'responses': ['yes', 'no']}",
                "{'id': 'c', 'images': ['truncated.png'], 'prompt': 'Q?', 'chosen': 'yes', 'rejected': 'no'}");
        String message = assertThrows(IllegalArgumentException.class, () -> SampleReader.read(file)).getMessage();
        List<String> lines = message.lines().toList();
        assertEquals(2, lines.size(), message);
        assertTrue(lines.get(0).startsWith(file + ":2: field \"images\"[0]: cannot load image " + data.resolve("truncated.png").toAbsolutePath()), message);
        assertTrue(lines.get(0).contains("corrupt or truncated PNG data"), message);
        assertTrue(lines.get(1).startsWith(file + ":3: field \"images\"[1]: cannot load image"), message);
        assertTrue(lines.get(1).contains("not a recognisable image"), message);
    }

    @Test
    void theHeaderCheckReadsFormatAndSizeOnly() throws Exception {
        Path good = png(data.resolve("big.png"), 64, 64, 4);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(data.resolve("truncated.png"), Arrays.copyOf(bytes, bytes.length / 2));
        org.vco4j.model.image.ImageLoader.checkHeader(truncated);
        assertThrows(org.vco4j.model.image.ImageLoadException.class, () -> org.vco4j.model.image.ImageLoader.read(truncated));
        Path text = Files.writeString(data.resolve("notes.png"), "not an image");
        assertThrows(org.vco4j.model.image.ImageLoadException.class, () -> org.vco4j.model.image.ImageLoader.checkHeader(text));
        // A PNG whose header claims 20000 x 20000 pixels is refused from its header, before any pixel is decoded.
        byte[] bomb = Arrays.copyOf(bytes, 33);
        java.nio.ByteBuffer.wrap(bomb, 16, 8).putInt(20_000).putInt(20_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bomb, 12, 17);
        java.nio.ByteBuffer.wrap(bomb, 29, 4).putInt((int) crc.getValue());
        Path huge = Files.write(data.resolve("huge.png"), bomb);
        String message = assertThrows(org.vco4j.model.image.ImageLoadException.class,
                () -> org.vco4j.model.image.ImageLoader.checkHeader(huge)).getMessage();
        assertTrue(message.contains("20000x20000 pixels exceeds the limit"), message);
    }

    @Test
    void readsEveryShape() throws IOException {
        jsonl(file,
                "{'id': 't1', 'images': ['m.png', 'm2.png'], 'prompt': 'What colour is the ball?',"
                        + " 'responses': ['The ball is red.', 'The ball is blue.'], 'contrast': 'attribute',"
                        + " 'masks': [[[12, 15]], [[12, 16]]], 'source': 'synthetic'}",
                "",
                "{'id': 'p1', 'images': ['img/cat.png'], 'prompt': 'Describe the image.', 'chosen': 'A cat.',"
                        + " 'rejected': 'A dog.'}",
                "{'id': 's1', 'images': ['./img/../img/cat.png'], 'prompt': '<image>\\nDescribe it.', 'chosen': 'A cat.',"
                        + " 'rejected': ['A dog.', 'A cow.'], 'augmentation': 'diffusion-noise-500', 'source': null}");
        List<Sample> samples = SampleReader.read(file);
        assertEquals(3, samples.size());

        Sample tuple = samples.get(0);
        assertEquals("t1", tuple.id());
        assertEquals(List.of(data.resolve("m.png").toAbsolutePath(), data.resolve("m2.png").toAbsolutePath()), tuple.images());
        assertEquals(List.of("The ball is red.", "The ball is blue."), tuple.responses());
        assertEquals(List.of(List.of(new Span(12, 15)), List.of(new Span(12, 16))), tuple.masks());
        assertEquals("attribute", tuple.contrast());
        assertEquals("synthetic", tuple.source());
        assertTrue(tuple.isContrastive());

        Sample pair = samples.get(1);
        assertEquals(List.of("A cat."), pair.responses());
        assertEquals(List.of("A dog."), pair.rejected());
        assertEquals(data.resolve("img/cat.png").toAbsolutePath(), pair.image());
        assertTrue(pair.contrastImage().isEmpty());

        Sample seva = samples.get(2);
        assertEquals(List.of("A dog.", "A cow."), seva.rejected());
        assertEquals("diffusion-noise-500", seva.augmentation());
        assertEquals(data.resolve("img/cat.png").toAbsolutePath(), seva.image());
        assertNull(seva.source(), "null is read as an absent field");
    }

    @Test
    void maskOffsetsAreCodePointsInTheFileAndStringIndicesInJava() throws IOException {
        // '🐱' is one code point (Python index 1) but two UTF-16 units.
        Files.writeString(file, "{\"id\": \"e\", \"images\": [\"m.png\", \"m2.png\"], \"prompt\": \"Which animal?\","
                + " \"responses\": [\"🐱 cat\", \"🐶 dog\"], \"masks\": [[[2, 5]], [[0, 1]]]}\n", StandardCharsets.UTF_8);
        Sample sample = SampleReader.read(file).get(0);
        assertEquals(new Span(3, 6), sample.masks().get(0).get(0));
        assertEquals("cat", sample.responses().get(0).substring(3, 6));
        assertEquals(new Span(0, 2), sample.masks().get(1).get(0));
    }

    @Test
    void acceptsByteOrderMarkAndWindowsLineEnds() throws IOException {
        Files.writeString(file, "\uFEFF" + TestData.json(GOOD) + "\r\n", StandardCharsets.UTF_8);
        assertEquals("ok", SampleReader.read(file).get(0).id());
    }

    static Stream<Arguments> badLines() {
        String pair = "'id': 'p', 'images': ['m.png'], 'prompt': 'Describe the image.'";
        String tuple = "'id': 't', 'images': ['m.png', 'm2.png'], 'prompt': 'What colour?'";
        String responses = "'responses': ['It is red.', 'It is blue.']";
        return Stream.of(
                Arguments.of("{'id': 'a',", "malformed JSON"),
                Arguments.of("{'id': 'a'} {}", "malformed JSON: more than one value on the line"),
                Arguments.of("{'id': 'a', 'id': 'b'}", "malformed JSON: Duplicate field 'id'"),
                Arguments.of("[1, 2]", "expected a JSON object, got a list"),
                Arguments.of("{" + tuple + ", " + responses + ", 'label': 1}", "unknown field \"label\" (known: id, images, prompt, responses, chosen, rejected, masks, contrast, source, augmentation)"),
                Arguments.of("{'images': ['m.png'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "missing field \"id\""),
                Arguments.of("{'id': 7, 'images': ['m.png'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"id\": must be a string, got a number"),
                Arguments.of("{'id': ' ', 'images': ['m.png'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"id\": must not be empty"),
                Arguments.of("{" + GOOD.substring(1).replace("'id': 'ok', ", "'id': 'ok', 'source': 'x', "), "field \"id\": duplicate id 'ok' (first on line 1)"),
                Arguments.of("{'id': 'p', 'images': ['m.png'], 'chosen': 'a', 'rejected': 'b'}", "missing field \"prompt\""),
                Arguments.of("{'id': 'p', 'images': ['m.png'], 'prompt': '', 'chosen': 'a', 'rejected': 'b'}", "field \"prompt\": must not be empty"),
                Arguments.of("{'id': 'p', 'images': ['m.png'], 'prompt': ['Q?'], 'chosen': 'a', 'rejected': 'b'}", "field \"prompt\": must be a string, got a list"),
                Arguments.of("{'id': 'p', 'images': ['m.png'], 'prompt': '<image> and <image>?', 'chosen': 'a', 'rejected': 'b'}", "field \"prompt\": has 2 <image> placeholders"),
                Arguments.of("{'id': 'p', 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "missing field \"images\""),
                Arguments.of("{'id': 'p', 'images': 'm.png', 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\": must be a list of paths, got a string"),
                Arguments.of("{'id': 'p', 'images': [3], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\"[0]: must be a string, got a number"),
                Arguments.of("{'id': 'p', 'images': [], 'prompt': 'Q?', 'responses': ['a']}", "field \"images\": needs [m] or [m, m'], got 0 images"),
                Arguments.of("{'id': 'p', 'images': ['m.png', 'm2.png', 'img/cat.png'], 'prompt': 'Q?', 'responses': ['a']}", "field \"images\": needs [m] or [m, m'], got 3 images"),
                Arguments.of("{'id': 'p', 'images': ['/etc/passwd'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\"[0]: image path '/etc/passwd' is absolute"),
                Arguments.of("{'id': 'p', 'images': ['m.png', '../m.png'], 'prompt': 'Q?', 'responses': ['a']}", "field \"images\"[1]: image path '../m.png' escapes the data folder"),
                Arguments.of("{'id': 'p', 'images': ['link.png'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\"[0]: image path 'link.png' links outside the data folder"),
                Arguments.of("{'id': 'p', 'images': ['gone.png'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\"[0]: image file 'gone.png' does not exist"),
                Arguments.of("{'id': 'p', 'images': ['img'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\"[0]: 'img' is not a file"),
                Arguments.of("{'id': 'p', 'images': ['m.png', 'img/../m.png'], 'prompt': 'Q?', 'responses': ['a']}", "field \"images\"[1]: is the same file as images[0]"),
                Arguments.of("{" + tuple + "}", "missing field \"responses\" (a contrastive tuple) or \"chosen\" with \"rejected\""),
                Arguments.of("{" + tuple + ", " + responses + ", 'chosen': 'It is red.'}", "field \"chosen\": a line is a contrastive tuple (\"responses\") or a preference pair (\"chosen\", \"rejected\"), not both"),
                Arguments.of("{" + tuple + ", 'responses': 'It is red.'}", "field \"responses\": must be a list of strings, got a string"),
                Arguments.of("{" + tuple + ", 'responses': ['It is red.', 2]}", "field \"responses\"[1]: must be a string, got a number"),
                Arguments.of("{" + tuple + ", 'responses': ['', 'It is blue.']}", "field \"responses\"[0]: must not be empty"),
                Arguments.of("{" + tuple + ", 'responses': ['It is red.', 'It is red.']}", "field \"responses\"[1]: equals responses[0]"),
                Arguments.of("{" + tuple + ", 'responses': ['It is red.', 'It is <image>.']}", "field \"responses\"[1]: contains the image placeholder"),
                Arguments.of("{" + tuple + ", 'responses': []}", "field \"responses\": needs [y] or [y, y'], got 0 responses"),
                Arguments.of("{'id': 't', 'images': ['m.png'], 'prompt': 'Q?', " + responses + "}", "field \"responses\": y' is true of the second image m', but the sample has one image"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.'}", "missing field \"rejected\" (a preference pair needs it)"),
                Arguments.of("{" + pair + ", 'chosen': '', 'rejected': 'A dog.'}", "field \"chosen\": must not be empty"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.', 'rejected': 3}", "field \"rejected\": must be a string or a list of strings, got a number"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.', 'rejected': []}", "field \"rejected\": must not be an empty list"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.', 'rejected': ['A dog.', '']}", "field \"rejected\"[1]: must not be empty"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.', 'rejected': 'A cat.'}", "field \"rejected\"[0]: equals the chosen answer y"),
                Arguments.of("{'id': 'p', 'images': ['m.png', 'm2.png'], 'prompt': 'Q?', 'chosen': 'a', 'rejected': 'b'}", "field \"images\": a preference pair has one image, got 2"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.', 'rejected': 'A dog.', 'masks': [[[0, 1]]]}", "field \"masks\": token masks cover the \"responses\" of a contrastive tuple"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2]]]}", "field \"masks\": 1 span lists for 2 responses"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': {'y': []}}", "field \"masks\": must be a list of span lists, got an object"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2]], [0, 2]]}", "field \"masks\"[1][0]: must be a [start, end] pair of integers"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2, 3]], [[0, 2]]]}", "field \"masks\"[0][0]: must be a [start, end] pair of integers"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 1.5]], [[0, 2]]]}", "field \"masks\"[0][0]: must be a [start, end] pair of integers"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2]], [[6, 12]]]}", "field \"masks\"[1][0]: [6,12] lies outside response 1 (11 characters)"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2], [-1, 2]], [[0, 2]]]}", "field \"masks\"[0][1]: [-1,2] lies outside response 0"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2]], [[3, 3]]]}", "field \"masks\"[1][0]: [3,3] is an empty span"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2]], 'all']}", "field \"masks\"[1]: must be a list of [start, end] pairs, got a string"),
                Arguments.of("{" + tuple + ", " + responses + ", 'masks': [[[0, 2]], []]}", "field \"masks\"[1]: selects nothing"),
                Arguments.of("{" + tuple + ", " + responses + ", 'contrast': 4}", "field \"contrast\": must be a string, got a number"),
                Arguments.of("{" + tuple + ", " + responses + ", 'source': ''}", "field \"source\": must not be empty when given"),
                Arguments.of("{" + pair + ", 'chosen': 'A cat.', 'rejected': 'A dog.', 'augmentation': ['flip']}", "field \"augmentation\": must be a string, got a list"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void everyErrorNamesFileLineAndField(String line, String expected) throws IOException {
        Path outside = png(folder.resolve("outside.png"), 2, 2, 9);
        Files.createSymbolicLink(data.resolve("link.png"), outside);
        jsonl(file, GOOD, line);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SampleReader.read(file));
        String message = error.getMessage();
        assertTrue(message.startsWith(file + ":2: "), message);
        assertEquals(1, message.split(file.toString(), -1).length - 1, "one location: " + message);
        assertTrue(message.contains(expected), "expected '" + expected + "' in: " + message);
    }

    @Test
    void everyLineIsCheckedAndTheErrorsAreListedTogether() throws IOException {
        jsonl(file, GOOD, "{'id': 'x'", GOOD.replace("'ok'", "'b'").replace("'What colour is the ball?'", "''"));
        String message = assertThrows(IllegalArgumentException.class, () -> SampleReader.read(file)).getMessage();
        assertTrue(message.startsWith(file + ":2: malformed JSON"), message);
        assertTrue(message.contains("\n" + file + ":3: field \"prompt\": must not be empty"), message);
    }

    @Test
    void manyErrorsAreCountedNotAllListed() throws IOException {
        String[] lines = new String[25];
        for (int i = 0; i < lines.length; i++) lines[i] = "[" + i + "]";
        jsonl(file, lines);
        String message = assertThrows(IllegalArgumentException.class, () -> SampleReader.read(file)).getMessage();
        assertEquals(11, message.lines().count(), message);
        assertTrue(message.endsWith("(and 15 more errors)"), message);
    }

    @Test
    void invalidUtf8NamesTheLine() throws IOException {
        byte[] good = (TestData.json(GOOD) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(file, all);
        String message = assertThrows(IllegalArgumentException.class, () -> SampleReader.read(file)).getMessage();
        assertEquals(file + ":2: not valid UTF-8 text", message);
    }

    @Test
    void emptyAndMissingFilesAreErrors() throws IOException {
        Files.writeString(file, "\n  \n");
        assertEquals(file + ": no samples (the file is empty)",
                assertThrows(IllegalArgumentException.class, () -> SampleReader.read(file)).getMessage());
        Path missing = data.resolve("missing.jsonl");
        assertEquals(missing + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> SampleReader.read(missing)).getMessage());
    }
}
