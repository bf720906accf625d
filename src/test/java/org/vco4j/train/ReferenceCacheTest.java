package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The on-disk reference cache survives a kill mid-append: its torn tail is cut off, never built upon. */
class ReferenceCacheTest {
    private static ScoreRequest request(int i) {
        return new ScoreRequest("r" + i, Context.textOnly("prompt " + i), "response " + i);
    }

    @Test
    void aTornTailIsCutOffBeforeAppendingSoEveryLaterOpenWorks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reference_logps.jsonl");
        try (ReferenceCache cache = new ReferenceCache(file, "model")) {
            for (int i = 0; i < 3; i++) cache.put(request(i), -i - 0.5, 10 + i);
        }
        long whole = Files.size(file);
        // A kill mid-append: half of a fourth line, no newline.
        Files.writeString(file, "{\"key\":\"abc\",\"id\":\"r3\",\"lo", StandardOpenOption.APPEND);

        try (ReferenceCache cache = new ReferenceCache(file, "model")) {
            assertEquals(3, cache.size());
            assertTrue(cache.tornBytes() > 0);
            assertEquals(whole, Files.size(file), "the torn tail is gone before anything is appended");
            cache.put(request(3), -3.5, 13);
        }
        try (ReferenceCache cache = new ReferenceCache(file, "model")) { // the open that failed before
            assertEquals(4, cache.size());
            assertEquals(0, cache.tornBytes());
            assertEquals(-3.5, cache.get(request(3)).logp());
            assertEquals(13, cache.get(request(3)).tokens());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(4, lines.size());
    }

    @Test
    void aCompleteLineCutJustBeforeItsNewlineIsAlsoTorn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reference_logps.jsonl");
        try (ReferenceCache cache = new ReferenceCache(file, "model")) {
            cache.put(request(0), -1, 1);
        }
        String line = Files.readAllLines(file).get(0).replace("r0", "r9");
        Files.writeString(file, line, StandardOpenOption.APPEND); // valid JSON, but its newline never made it
        try (ReferenceCache cache = new ReferenceCache(file, "model")) {
            assertEquals(1, cache.size());
            cache.put(request(1), -2, 2);
        }
        try (ReferenceCache cache = new ReferenceCache(file, "model")) {
            assertEquals(2, cache.size());
        }
    }

    @Test
    void aCorruptLineInTheMiddleIsAnErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("reference_logps.jsonl");
        try (ReferenceCache cache = new ReferenceCache(file, "model")) {
            for (int i = 0; i < 3; i++) cache.put(request(i), -1, 1);
        }
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(1, lines.get(1).substring(0, 20));
        Files.write(file, lines);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReferenceCache(file, "model"));
        assertEquals(file + ":2: corrupt reference cache line (delete the file to rebuild it)", e.getMessage());
    }
}
