package org.vco4j.model.tokenizer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.model.tokenizer.WordLevelTokenizerWriter.*;

class TextTokenizerTest {
    private static final String PROMPT = "USER: <image>\nDescribe the image. ASSISTANT: There is a red circle on the left.";

    @TempDir
    static Path shared;
    private static TextTokenizer tokenizer;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeAndLoad() throws IOException {
        WordLevelTokenizerWriter.write(shared);
        tokenizer = TextTokenizer.load(shared);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static String[] tokens(String text, boolean special) {
        return tokenizer.tokenize(text, special).tokens();
    }

    @Test
    void encodesTheLlavaPromptWithoutUnknownWords() {
        long[] ids = tokenizer.encode(PROMPT, false);
        assertFalse(Arrays.stream(ids).anyMatch(id -> id == UNK_ID), Arrays.toString(tokens(PROMPT, false)));
        assertArrayEquals(new String[] {"user", ":", "<image>", "describe", "the", "image", ".", "assistant", ":", "there", "is", "a",
                "red", "circle", "on", "the", "left", "."}, tokens(PROMPT, false));
        assertEquals(tokenizer.tokenId("red"), ids[12]);
        assertEquals("user : describe the image. assistant : there is a red circle on the left.", tokenizer.decode(ids, true));
        assertEquals("user : <image> describe the image. assistant : there is a red circle on the left.", tokenizer.decode(ids, false));
    }

    @Test
    void roundTripsALowerCaseSentence() {
        String sentence = "how many blue squares are there? there are two, on the left.";
        long[] ids = tokenizer.encode(sentence, true);
        assertEquals(BOS_ID, ids[0]);
        assertEquals(sentence, tokenizer.decode(ids, true));
        assertEquals("<s> " + sentence, tokenizer.decode(ids, false));
    }

    @Test
    void imageTokenIsOneSpecialTokenWhereverItStands() {
        for (String text : List.of("<image>", "a<image>b", "<image>\nred", "red\n<image>", "x <image><image> y", "<IMAGE> <image>")) {
            TokenizedText t = tokenizer.tokenize(text, false);
            long[] ids = t.ids();
            int images = 0;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == IMAGE_ID) {
                    images++;
                    assertTrue(t.isSpecial(i));
                    assertEquals("<image>", text.substring(t.start(i), t.end(i)));
                }
            }
            long expected = text.split("<image>", -1).length - 1;
            assertEquals(expected, images, text + " -> " + Arrays.toString(t.tokens()));
        }
        assertEquals(IMAGE_ID, tokenizer.imageTokenId().orElseThrow());
        assertEquals(IMAGE_ID, tokenizer.tokenId("<image>"));
    }

    @Test
    void bosIsAddedOnlyWhenAsked() {
        long[] plain = tokenizer.encode("red circle", false);
        long[] withBos = tokenizer.encode("red circle", true);
        assertEquals(2, plain.length);
        assertEquals(3, withBos.length);
        assertEquals(BOS_ID, withBos[0]);
        assertArrayEquals(plain, Arrays.copyOfRange(withBos, 1, 3));
        assertNotEquals(BOS_ID, plain[0]);
        assertEquals(BOS_ID, tokenizer.bosTokenId().orElseThrow());
    }

    @Test
    void unknownWordsBecomeUnk() {
        long[] ids = tokenizer.encode("a zebra", false);
        assertArrayEquals(new long[] {tokenizer.tokenId("a"), UNK_ID}, ids);
        assertEquals(UNK_ID, tokenizer.unkTokenId().orElseThrow());
        assertEquals("a <unk>", tokenizer.decode(ids, false));
    }

    @Test
    void charSpansSelectTheOverlappingTokens() {
        int start = PROMPT.indexOf("There");
        boolean[] mask = tokenizer.tokenMask(PROMPT, List.of(new int[] {start, PROMPT.length()}));
        TokenizedText t = tokenizer.tokenize(PROMPT, true);
        assertEquals(t.size(), mask.length);
        assertEquals("<s>", t.tokens()[0]);
        for (int i = 0; i < mask.length; i++) {
            assertEquals(t.start(i) >= start && t.end(i) > t.start(i), mask[i], "token " + i + " " + t.tokens()[i]);
        }
        assertEquals(9, countTrue(mask)); // there is a red circle on the left .

        // A span touching part of a word selects it; an empty or non-overlapping span selects nothing.
        boolean[] partial = tokenizer.tokenize("red circle", false).tokenMask(List.of(new int[] {2, 5}));
        assertArrayEquals(new boolean[] {true, true}, partial);
        assertArrayEquals(new boolean[] {false, false}, tokenizer.tokenize("red circle", false).tokenMask(List.of(new int[] {3, 4})));
        assertArrayEquals(new boolean[] {false, false}, tokenizer.tokenize("red circle", false).tokenMask(List.of(new int[] {2, 2})));
        // Two spans at once.
        boolean[] two = tokenizer.tokenize("a red circle and a blue square", false).tokenMask(List.of(new int[] {2, 5}, new int[] {19, 23}));
        assertArrayEquals(new boolean[] {false, true, false, false, false, true, false}, two);
        assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenMask("red", List.of(new int[] {0, 9})));
    }

    @Test
    void offsetsAreJavaCharIndicesBeyondTheBasicPlane() {
        String text = "a \uD83D\uDE00 red";
        TokenizedText t = tokenizer.tokenize(text, false);
        assertArrayEquals(new String[] {"a", "<unk>", "red"}, t.tokens());
        assertEquals("\uD83D\uDE00", text.substring(t.start(1), t.end(1)));
        assertEquals("red", text.substring(t.start(2), t.end(2)));
    }

    @Test
    void tokenIdNamesTheMissingToken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenId("zebra"));
        assertTrue(e.getMessage().contains("zebra") && e.getMessage().contains("tokenizer.json"), e.getMessage());
        assertFalse(tokenizer.hasToken("zebra"));
        assertTrue(tokenizer.hasToken("circle"));
        assertEquals(SPECIAL_TOKENS.size() + defaultVocabulary().size(), tokenizer.vocabSize());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new long[] {tokenizer.vocabSize()}, false));
    }

    @Test
    void readsSpecialTokensFromConfigFiles() {
        SpecialTokens s = tokenizer.specialTokens();
        assertEquals(new SpecialTokens("<s>", "</s>", "<unk>", "<pad>", "<image>"), s);
        assertEquals(EOS_ID, tokenizer.eosTokenId().orElseThrow());
        assertEquals(PAD_ID, tokenizer.padTokenId().orElseThrow());
    }

    @Test
    void specialTokensMapOverridesTokenizerConfigAndObjectsAreRead() throws IOException {
        WordLevelTokenizerWriter.write(dir, List.of("red", "stop"), 64);
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"bos_token": {"__type": "AddedToken", "content": "<s>"}, "eos_token": "</s>", "image_token": "<pad>"}
                """);
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"eos_token\": {\"content\": \"stop\"}}");
        try (TextTokenizer t = TextTokenizer.load(dir.resolve("tokenizer.json"))) {
            assertEquals(new SpecialTokens("<s>", "stop", null, null, "<pad>"), t.specialTokens());
            assertEquals(t.tokenId("stop"), t.eosTokenId().orElseThrow());
            assertEquals(PAD_ID, t.imageTokenId().orElseThrow());
            assertTrue(t.unkTokenId().isEmpty());
        }
    }

    @Test
    void withoutConfigFilesOnlyTheDefaultImageTokenIsKnown() throws IOException {
        WordLevelTokenizerWriter.write(dir, List.of("red"), 64);
        Files.delete(dir.resolve("tokenizer_config.json"));
        Files.delete(dir.resolve("special_tokens_map.json"));
        try (TextTokenizer t = TextTokenizer.load(dir)) {
            assertEquals(new SpecialTokens(null, null, null, null, "<image>"), t.specialTokens());
            assertEquals(IMAGE_ID, t.imageTokenId().orElseThrow());
            assertTrue(t.bosTokenId().isEmpty());
        }
    }

    @Test
    void missingAndBrokenFilesAreNamed() throws IOException {
        TokenizerLoadException missing = assertThrows(TokenizerLoadException.class, () -> TextTokenizer.load(dir));
        assertEquals(dir.resolve("tokenizer.json"), missing.file());
        assertTrue(missing.getMessage().contains(dir.resolve("tokenizer.json").toString()) && missing.getMessage().contains("does not exist"));

        Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": ");
        TokenizerLoadException corrupt = assertThrows(TokenizerLoadException.class, () -> TextTokenizer.load(dir));
        assertTrue(corrupt.getMessage().contains("not valid JSON"), corrupt.getMessage());

        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        TokenizerLoadException rejected = assertThrows(TokenizerLoadException.class, () -> TextTokenizer.load(dir));
        assertTrue(rejected.getMessage().contains("not a tokenizer"), rejected.getMessage());

        WordLevelTokenizerWriter.write(dir, List.of("red"), 64);
        Files.writeString(dir.resolve("tokenizer_config.json"), "not json");
        TokenizerLoadException config = assertThrows(TokenizerLoadException.class, () -> TextTokenizer.load(dir));
        assertEquals(dir.resolve("tokenizer_config.json").toAbsolutePath(), config.file().toAbsolutePath());
    }

    @Test
    void closedTokenizerRefusesWork() throws IOException {
        WordLevelTokenizerWriter.write(dir, List.of("red"), 64);
        TextTokenizer t = TextTokenizer.load(dir);
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.encode("red", false));
        assertThrows(IllegalStateException.class, () -> t.decode(new long[] {5}, false));
    }

    @Test
    void defaultVocabularyCoversTypicalQuestionsAndAnswers() {
        List<String> sentences = new ArrayList<>(List.of(
                "Describe the image.", "How many circles are there?", "What colour is the square?", "Is there a triangle in the picture?",
                "Yes, there is a small green triangle at the top right.", "No.", "There are three blue dots below the big yellow star!",
                "What shape is on the left: a circle or a square?", "The image shows two red squares, one above the other."));
        for (String s : sentences) {
            long[] ids = tokenizer.encode(s, true);
            assertFalse(Arrays.stream(ids).anyMatch(id -> id == UNK_ID), s + " -> " + Arrays.toString(tokens(s, true)));
        }
    }

    private static int countTrue(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) if (b) n++;
        return n;
    }
}
