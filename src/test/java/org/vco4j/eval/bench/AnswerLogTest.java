package org.vco4j.eval.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The answers journal: read back on resumption, a cut-off last line dropped, anything else bad named by line. */
class AnswerLogTest {
    private static final Map<String, BenchmarkItem> ITEMS = new LinkedHashMap<>();

    static {
        ITEMS.put("a", new BenchmarkItem("a", Path.of("1.jpg"), "Is there a cat?"));
        ITEMS.put("b", new BenchmarkItem("b", Path.of("2.jpg"), "Is there a dog?"));
    }

    @Test
    void answersAreReadBackAndACutOffLineIsDropped(@TempDir Path dir) throws Exception {
        try (AnswerLog log = AnswerLog.open(dir, ITEMS)) {
            log.append(ITEMS.get("a"), "Yes.\nThere is.");
        }
        Path file = dir.resolve(AnswerLog.FILE_NAME);
        Files.writeString(file, Files.readString(file) + "{\"id\": \"b\", \"pro");
        try (AnswerLog log = AnswerLog.open(dir, ITEMS)) {
            assertEquals(Map.of("a", "Yes.\nThere is."), log.completed());
            log.append(ITEMS.get("b"), "No");
        }
        try (AnswerLog log = AnswerLog.open(dir, ITEMS)) {
            assertEquals(Map.of("a", "Yes.\nThere is.", "b", "No"), log.completed());
        }
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void answersOfAnotherRunAreRefusedNamingTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(AnswerLog.FILE_NAME);
        Files.writeString(file, "{\"id\": \"a\", \"image\": \"1.jpg\", \"prompt\": \"Is there a bird?\", \"answer\": \"No\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnswerLog.open(dir, ITEMS));
        assertTrue(e.getMessage().startsWith(file + ":1: field 'prompt' differs from item 'a'"), e.getMessage());

        Files.writeString(file, "{\"id\": \"z\", \"image\": \"1.jpg\", \"prompt\": \"?\", \"answer\": \"No\"}\n");
        e = assertThrows(IllegalArgumentException.class, () -> AnswerLog.open(dir, ITEMS));
        assertTrue(e.getMessage().startsWith(file + ":1: field 'id': 'z' is no item of this benchmark"), e.getMessage());

        Files.writeString(file, "{\"id\": \"a\",\n{\"id\": \"b\"}\n");
        e = assertThrows(IllegalArgumentException.class, () -> AnswerLog.open(dir, ITEMS));
        assertTrue(e.getMessage().startsWith(file + ":1: malformed JSON"), e.getMessage());
    }
}
