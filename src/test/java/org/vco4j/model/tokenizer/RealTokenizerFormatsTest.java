package org.vco4j.model.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tokenizer formats of the real checkpoints, built here at toy size with the real files' structure: Qwen2's
 * byte-level BPE (LLaVA-NeXT-Interleave, LLaVA-OneVision, Qwen2-VL: NFC, a Split regex then ByteLevel, ChatML added
 * tokens at 151643..) and Llama's SentencePiece BPE with byte fallback (LLaVA-1.5: "▁" for spaces, {@code <0xNN>}
 * byte tokens, {@code <s>} added by a TemplateProcessing post-processor). What vco4j needs from them: special tokens
 * kept whole at their ids, text decoded back exactly, and token masks over character spans of a response.
 */
class RealTokenizerFormatsTest {
    private static final List<String> WORDS = List.of("what", "color", "is", "the", "circle", "red", "blue", "it", "user",
            "assistant", "system", "you", "are", "a", "helpful", "square", "and");

    @Test
    void qwen2ByteLevelBpe(@TempDir Path dir) throws Exception {
        writeQwen2(dir);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            String prompt = "<|im_start|>user\n<image>\nWhat color is the circle?<|im_end|>\n<|im_start|>assistant\n";
            long[] ids = tokenizer.encode(prompt, true);
            assertEquals(151644, ids[0], "no BOS: Qwen declares none");
            assertEquals(1, Arrays.stream(ids).filter(id -> id == 151646).count(), "<image> is one token");
            assertEquals(2, Arrays.stream(ids).filter(id -> id == 151644).count());
            assertEquals(prompt, tokenizer.decode(ids, false));
            assertEquals(151645, tokenizer.eosTokenId().getAsInt());
            assertEquals(151646, tokenizer.imageTokenId().getAsInt());

            String response = "The circle is red, not blue.";
            TokenizedText tokens = tokenizer.tokenize(response, false);
            int red = response.indexOf("red");
            boolean[] mask = tokens.tokenMask(List.<int[]>of(new int[] {red, red + 3}));
            List<String> selected = new ArrayList<>();
            for (int i = 0; i < mask.length; i++) if (mask[i]) selected.add(tokens.tokens()[i]);
            assertEquals(List.of("Ġred"), selected, "the span selects the one token that holds it");
            assertEquals(response, tokenizer.decode(tokens.ids(), true));
            assertEquals("é!", tokenizer.decode(tokenizer.encode("é!", false), true), "any byte encodes and decodes");
        }
    }

    @Test
    void addedTokenIdsTheLibraryWouldRenumberAreRefused(@TempDir Path dir) throws Exception {
        writeQwen2(dir, 1000); // a vocabulary of 1000 pieces: the library would number <|endoftext|> 1000, not 151643
        TokenizerLoadException e = assertThrows(TokenizerLoadException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains("<|endoftext|>") && e.getMessage().contains("151643") && e.getMessage().contains("1000"),
                e.getMessage());
    }

    @Test
    void llamaSentencePieceBpeWithByteFallback(@TempDir Path dir) throws Exception {
        writeLlama(dir);
        try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            String prompt = "USER: <image>\nWhat is it? ASSISTANT:";
            long[] ids = tokenizer.encode(prompt, true);
            assertEquals(1, ids[0], "<s> in front");
            assertEquals(1, Arrays.stream(ids).filter(id -> id == 32000).count(), "<image> is one token at 32000");
            // The legacy normaliser prepends "▁" to every segment, also to the one after a special token: "\n" becomes
            // "▁\n", as transformers' fast tokenizer encodes it with this tokenizer.json.
            assertEquals("USER: <image> \nWhat is it? ASSISTANT:", tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length), false));

            String response = "The circle is red.";
            TokenizedText tokens = tokenizer.tokenize(response, false);
            int red = response.indexOf("red");
            boolean[] mask = tokens.tokenMask(List.<int[]>of(new int[] {red, red + 3}));
            List<String> selected = new ArrayList<>();
            for (int i = 0; i < mask.length; i++) if (mask[i]) selected.add(tokens.tokens()[i]);
            assertEquals(List.of("▁red"), selected);
            long[] accented = tokenizer.encode("é", false);
            assertTrue(Arrays.stream(accented).anyMatch(id -> id == byteId(0xC3)), "unknown characters fall back to byte tokens");
            assertEquals("é", tokenizer.decode(accented, true));
        }
    }

    // ---- Qwen2: byte-level BPE ----

    private static void writeQwen2(Path dir) throws Exception {
        writeQwen2(dir, 151643);
    }

    private static void writeQwen2(Path dir, int vocabularySize) throws Exception {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> merges = new ArrayList<>();
        for (int b = 0; b < 256; b++) vocab.put(byteLevel(b), vocab.size());
        for (String word : WORDS) {
            addMerges(vocab, merges, byteLevel(' ') + word);
            addMerges(vocab, merges, word);
            addMerges(vocab, merges, byteLevel(' ') + capitalised(word));
            addMerges(vocab, merges, capitalised(word));
        }
        fill(vocab, vocabularySize);
        ObjectNode root = header();
        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>"};
        for (int i = 0; i < specials.length; i++) added(added, 151643 + i, specials[i]);
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode pres = pre.putArray("pretokenizers");
        ObjectNode split = pres.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        split.put("behavior", "Isolated").put("invert", false);
        byteLevelNode(pres.addObject());
        byteLevelNode(root.putObject("post_processor"));
        byteLevelNode(root.putObject("decoder"));
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        Files.writeString(dir.resolve("tokenizer.json"), Json.PRETTY.writeValueAsString(root));
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("add_prefix_space", false);
        config.putNull("bos_token");
        config.put("eos_token", "<|im_end|>").put("pad_token", "<|endoftext|>").putNull("unk_token");
        config.put("errors", "replace").put("model_max_length", 32768).put("split_special_tokens", false);
        config.put("tokenizer_class", "Qwen2Tokenizer");
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.PRETTY.writeValueAsString(config));
    }

    private static void byteLevelNode(ObjectNode node) {
        node.put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false).put("use_regex", false);
    }

    /** GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others map to 256 + n. */
    private static String byteLevel(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) return String.valueOf((char) b);
        int n = 0;
        for (int c = 0; c < b; c++) {
            if (!((c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE && c <= 0xFF))) n++;
        }
        return String.valueOf((char) (256 + n));
    }

    // ---- Llama: SentencePiece BPE with byte fallback ----

    private static void writeLlama(Path dir) throws Exception {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put("<unk>", 0);
        vocab.put("<s>", 1);
        vocab.put("</s>", 2);
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), 3 + b);
        List<String> merges = new ArrayList<>();
        for (char c : "▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ:?.,\n".toCharArray()) {
            vocab.putIfAbsent(String.valueOf(c), vocab.size());
        }
        for (String word : WORDS) {
            addMerges(vocab, merges, "▁" + word);
            addMerges(vocab, merges, "▁" + capitalised(word));
            addMerges(vocab, merges, "▁" + word.toUpperCase(java.util.Locale.ROOT));
        }
        fill(vocab, 32000);
        ObjectNode root = header();
        ArrayNode added = root.putArray("added_tokens");
        added(added, 0, "<unk>");
        added(added, 1, "<s>");
        added(added, 2, "</s>");
        added(added, 32000, "<image>");
        added(added, 32001, "<pad>");
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode norms = normalizer.putArray("normalizers");
        norms.addObject().put("type", "Prepend").put("prepend", "▁");
        ObjectNode replace = norms.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "▁");
        root.putNull("pre_tokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(1);
        bos.putArray("tokens").add("<s>");
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        ObjectNode space = decoders.addObject().put("type", "Replace");
        space.putObject("pattern").put("String", "▁");
        space.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true).put("byte_fallback", true);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        Files.writeString(dir.resolve("tokenizer.json"), Json.PRETTY.writeValueAsString(root));
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("add_bos_token", true).put("add_eos_token", false);
        config.put("bos_token", "<s>").put("eos_token", "</s>").put("pad_token", "<pad>").put("unk_token", "<unk>");
        config.put("legacy", false).put("padding_side", "left").put("tokenizer_class", "LlamaTokenizer");
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.PRETTY.writeValueAsString(config));
    }

    private static int byteId(int b) {
        return 3 + b;
    }

    // ---- shared ----

    /**
     * Fills the model's vocabulary up to {@code size} entries with filler pieces: the tokenizers library numbers added
     * tokens missing from the model's vocabulary after it, so the real ids (151643.., 32000) need a vocabulary of the
     * real size in front of them.
     */
    private static void fill(Map<String, Integer> vocab, int size) {
        for (int i = 0; vocab.size() < size; i++) vocab.put("zq" + i, vocab.size());
    }

    private static ObjectNode header() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        return root;
    }

    private static void added(ArrayNode added, int id, String content) {
        added.addObject().put("id", id).put("content", content).put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
    }

    /** Merges that build {@code word} left to right, one symbol at a time, each intermediate a vocabulary entry. */
    private static void addMerges(Map<String, Integer> vocab, List<String> merges, String word) {
        int[] cps = word.codePoints().toArray();
        String built = new String(cps, 0, 1);
        vocab.putIfAbsent(built, vocab.size());
        for (int i = 1; i < cps.length; i++) {
            String next = new String(cps, i, 1);
            vocab.putIfAbsent(next, vocab.size());
            String merged = built + next;
            if (!vocab.containsKey(merged)) {
                vocab.put(merged, vocab.size());
                merges.add(built + " " + next);
            }
            built = merged;
        }
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
}
