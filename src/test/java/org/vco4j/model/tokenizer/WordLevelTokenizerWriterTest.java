package org.vco4j.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WordLevelTokenizerWriterTest {
    @TempDir
    Path dir;

    private JsonNode read(String name) throws IOException {
        return new ObjectMapper().readTree(dir.resolve(name).toFile());
    }

    @Test
    void writesAWordLevelTokenizerJson() throws IOException {
        assertEquals(8, WordLevelTokenizerWriter.write(dir.resolve("sub"), List.of("red", "circle", "."), 128));
        dir = dir.resolve("sub");
        JsonNode t = read("tokenizer.json");
        assertEquals("1.0", t.get("version").asText());
        assertTrue(t.get("truncation").isNull() && t.get("padding").isNull());
        JsonNode added = t.get("added_tokens");
        assertEquals(5, added.size());
        for (int id = 0; id < 5; id++) {
            assertEquals(id, added.get(id).get("id").asInt());
            assertEquals(WordLevelTokenizerWriter.SPECIAL_TOKENS.get(id), added.get(id).get("content").asText());
            assertTrue(added.get(id).get("special").asBoolean());
            assertFalse(added.get(id).get("normalized").asBoolean());
        }
        assertEquals("Lowercase", t.get("normalizer").get("type").asText());
        assertEquals("Whitespace", t.get("pre_tokenizer").get("type").asText());
        assertEquals("TemplateProcessing", t.get("post_processor").get("type").asText());
        assertEquals("<s>", t.get("post_processor").get("single").get(0).get("SpecialToken").get("id").asText());
        assertEquals(1, t.get("post_processor").get("special_tokens").get("<s>").get("ids").get(0).asInt());
        assertEquals("WordPiece", t.get("decoder").get("type").asText());
        JsonNode model = t.get("model");
        assertEquals("WordLevel", model.get("type").asText());
        assertEquals("<unk>", model.get("unk_token").asText());
        assertEquals(0, model.get("vocab").get("<unk>").asInt());
        assertEquals(4, model.get("vocab").get("<image>").asInt());
        assertEquals(5, model.get("vocab").get("red").asInt());
        assertEquals(7, model.get("vocab").get(".").asInt());
    }

    @Test
    void writesTransformersConfigFiles() throws IOException {
        WordLevelTokenizerWriter.write(dir, List.of("red"), 77);
        JsonNode c = read("tokenizer_config.json");
        assertEquals("<s>", c.get("bos_token").asText());
        assertEquals("</s>", c.get("eos_token").asText());
        assertEquals("<unk>", c.get("unk_token").asText());
        assertEquals("<pad>", c.get("pad_token").asText());
        assertEquals(77, c.get("model_max_length").asInt());
        assertTrue(c.get("add_bos_token").asBoolean());
        assertEquals("PreTrainedTokenizerFast", c.get("tokenizer_class").asText());
        assertEquals("<image>", c.get("added_tokens_decoder").get("4").get("content").asText());
        JsonNode m = read("special_tokens_map.json");
        assertEquals("<pad>", m.get("pad_token").asText());
        assertEquals("<image>", m.get("additional_special_tokens").get(0).asText());
    }

    @Test
    void refusesWordsThatCouldNeverBeProduced() {
        for (List<String> bad : List.of(List.of("Red"), List.of("don't"), List.of("top-right"), List.of("two words"),
                List.of("red", "red"), List.of("<image>"), List.of(""))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WordLevelTokenizerWriter.write(dir, bad, 8));
            assertFalse(e.getMessage().isEmpty());
        }
        assertThrows(IllegalArgumentException.class, () -> WordLevelTokenizerWriter.write(dir, List.of("red"), 0));
    }

    @Test
    void defaultVocabularyIsDistinctAndValid() throws IOException {
        List<String> words = WordLevelTokenizerWriter.defaultVocabulary();
        assertTrue(words.size() >= 300, "size " + words.size());
        assertEquals(words.size(), new HashSet<>(words).size());
        assertTrue(words.containsAll(List.of("the", "red", "circle", "left", "above", "one", "ten", "7", "yes", "no", "?", ":", "'", "describe", "how", "many")));
        assertEquals(5 + words.size(), WordLevelTokenizerWriter.write(dir));
    }
}
