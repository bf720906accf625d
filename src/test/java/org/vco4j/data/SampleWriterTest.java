package org.vco4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleWriterTest {
    @TempDir
    Path folder;

    @Test
    void writtenSamplesReadBackEqual() throws IOException {
        Path m = TestData.png(folder.resolve("img/m.png"), 3, 3, 1);
        Path mPrime = TestData.png(folder.resolve("img/m2.png"), 3, 3, 2);
        Sample tuple = new Sample("t", List.of(m, mPrime), "How many balls?", List.of("Two \uD83D\uDC31 balls.", "Three balls."),
                List.of("Four balls."), List.of(List.of(new Span(0, 3), new Span(4, 6)), List.of(new Span(0, 5))),
                "count", "synthetic", null);
        Sample pair = Sample.preferencePair("p", m, "<image>\nDescribe it.", "A cat.", List.of("A dog."));
        Sample seva = new Sample("s", List.of(m), "Describe it.", List.of("A cat."), List.of("A dog.", "A cow."), List.of(),
                null, "seva", "random-crop");
        Sample sft = new Sample("f", List.of(m), "Describe it.", List.of("A cat."), List.of(), List.of(), null, null, null);
        List<Sample> samples = List.of(tuple, pair, seva, sft);
        Path file = folder.resolve("out.jsonl");

        SampleWriter.write(file, samples);

        assertEquals(samples, SampleReader.read(file));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).contains("\"images\":[\"img/m.png\",\"img/m2.png\"]"), lines.get(0));
        assertTrue(lines.get(0).contains("\"masks\":[[[0,3],[4,5]],[[0,5]]]"), "code points in the file: " + lines.get(0));
        assertTrue(lines.get(1).contains("\"chosen\":\"A cat.\",\"rejected\":\"A dog.\""), lines.get(1));
        assertTrue(lines.get(2).contains("\"rejected\":[\"A dog.\",\"A cow.\"]"), lines.get(2));
        assertTrue(lines.get(3).contains("\"responses\":[\"A cat.\"]"), lines.get(3));
    }

    @Test
    void imagesOutsideTheFolderAreRefusedAndNothingIsWritten() throws IOException {
        Path outside = TestData.png(folder.resolve("elsewhere/m.png"), 2, 2, 1);
        Path file = folder.resolve("data/out.jsonl");
        Sample sample = Sample.preferencePair("p", outside, "Q?", "yes", List.of("no"));
        String message = assertThrows(IllegalArgumentException.class, () -> SampleWriter.write(file, List.of(sample))).getMessage();
        assertTrue(message.contains("lies outside the data folder"), message);
        assertFalse(Files.exists(file));
    }
}
