package org.vco4j.model.tokenizer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a small but real Hugging Face tokenizer folder for a word-level model, loadable by
 * {@link TextTokenizer} and by transformers' {@code AutoTokenizer} alike:
 * <ul>
 *   <li>{@code tokenizer.json}: Lowercase normaliser (so a lower-case vocabulary covers capitalised
 *       text), Whitespace pre-tokeniser (splits into runs of word characters and runs of punctuation,
 *       {@code \w+|[^\w\s]+}), WordLevel model, a TemplateProcessing post-processor that puts {@code <s>}
 *       first when special tokens are requested, and a WordPiece decoder, which joins words with spaces
 *       and tidies spaces before punctuation ("left ." becomes "left.");</li>
 *   <li>{@code tokenizer_config.json} and {@code special_tokens_map.json} with the usual keys.</li>
 * </ul>
 * Special tokens have fixed ids: {@code <unk>} 0, {@code <s>} 1, {@code </s>} 2, {@code <pad>} 3,
 * {@code <image>} 4; the words follow from id 5 in the order given. Special tokens are matched in the raw
 * text before normalisation and splitting, so {@code "<image>\nDescribe"} yields {@code <image>} then
 * {@code describe}.
 */
public final class WordLevelTokenizerWriter {
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String PAD = "<pad>";
    public static final String IMAGE = "<image>";
    public static final int UNK_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int PAD_ID = 3;
    public static final int IMAGE_ID = 4;
    /** The special tokens, at index = id. */
    public static final List<String> SPECIAL_TOKENS = List.of(UNK, BOS, EOS, PAD, IMAGE);
    public static final int DEFAULT_MODEL_MAX_LENGTH = 2048;

    private static final String VOCABULARY_RESOURCE = "default-vocabulary.txt";
    // One piece of the Whitespace pre-tokeniser: a run of word characters or a run of other non-space characters.
    private static final Pattern SINGLE_PIECE = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private WordLevelTokenizerWriter() {}

    /**
     * The built-in English vocabulary (a few hundred words and punctuation marks for describing and
     * asking about simple images), in id order.
     */
    public static List<String> defaultVocabulary() {
        InputStream in = WordLevelTokenizerWriter.class.getResourceAsStream(VOCABULARY_RESOURCE);
        if (in == null) throw new IllegalStateException("missing resource " + VOCABULARY_RESOURCE);
        List<String> words = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) words.add(word);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + VOCABULARY_RESOURCE, e);
        }
        return Collections.unmodifiableList(words);
    }

    /** Writes the tokenizer files with the default vocabulary into {@code dir}; returns the vocabulary size. */
    public static int write(Path dir) throws IOException {
        return write(dir, defaultVocabulary(), DEFAULT_MODEL_MAX_LENGTH);
    }

    /**
     * Writes the tokenizer files into {@code dir} (created if needed); returns the vocabulary size,
     * special tokens included.
     *
     * @param words distinct lower-case words, each a single piece for the Whitespace pre-tokeniser
     * @throws IllegalArgumentException for a word that could never be produced by tokenisation, a duplicate,
     *     or a special token
     */
    public static int write(Path dir, List<String> words, int modelMaxLength) throws IOException {
        validate(words);
        if (modelMaxLength <= 0) throw new IllegalArgumentException("model_max_length must be positive, got " + modelMaxLength);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), Json.PRETTY.writeValueAsString(tokenizerJson(words)) + "\n");
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.PRETTY.writeValueAsString(tokenizerConfig(modelMaxLength)) + "\n");
        Files.writeString(dir.resolve("special_tokens_map.json"), Json.PRETTY.writeValueAsString(specialTokensMap()) + "\n");
        return SPECIAL_TOKENS.size() + words.size();
    }

    static ObjectNode tokenizerJson(List<String> words) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            addedToken(t, SPECIAL_TOKENS.get(id));
        }
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "Whitespace");

        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject(BOS);
        bos.put("id", BOS);
        bos.putArray("ids").add(BOS_ID);
        bos.putArray("tokens").add(BOS);

        // WordPiece decoding joins tokens with spaces (no "##" pieces occur) and its cleanup removes the space before punctuation.
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);

        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) vocab.put(SPECIAL_TOKENS.get(id), id);
        for (int i = 0; i < words.size(); i++) vocab.put(words.get(i), SPECIAL_TOKENS.size() + i);
        model.put("unk_token", UNK);
        return root;
    }

    static ObjectNode tokenizerConfig(int modelMaxLength) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("add_bos_token", true);
        c.put("add_eos_token", false);
        ObjectNode decoder = c.putObject("added_tokens_decoder");
        for (int id = 0; id < SPECIAL_TOKENS.size(); id++) addedToken(decoder.putObject(Integer.toString(id)), SPECIAL_TOKENS.get(id));
        c.putArray("additional_special_tokens").add(IMAGE);
        c.put("bos_token", BOS);
        c.put("clean_up_tokenization_spaces", false);
        c.put("eos_token", EOS);
        c.put("model_max_length", modelMaxLength);
        c.put("pad_token", PAD);
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("unk_token", UNK);
        return c;
    }

    static ObjectNode specialTokensMap() {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.putArray("additional_special_tokens").add(IMAGE);
        m.put("bos_token", BOS);
        m.put("eos_token", EOS);
        m.put("pad_token", PAD);
        m.put("unk_token", UNK);
        return m;
    }

    private static void addedToken(ObjectNode t, String content) {
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        // Matched on the raw text, so normalisation (lower-casing) never touches special tokens.
        t.put("normalized", false);
        t.put("special", true);
    }

    private static void validate(List<String> words) {
        Set<String> seen = new HashSet<>(SPECIAL_TOKENS);
        for (String w : words) {
            if (w == null || w.isEmpty()) throw new IllegalArgumentException("empty word in vocabulary");
            if (SPECIAL_TOKENS.contains(w)) throw new IllegalArgumentException("'" + w + "' is a special token, not a word");
            if (!w.equals(w.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'" + w + "' is not lower case; input is lower-cased, so it could never match");
            }
            if (!SINGLE_PIECE.matcher(w).matches()) {
                throw new IllegalArgumentException("'" + w + "' would be split by the Whitespace pre-tokenizer (\\w+|[^\\w\\s]+), so it could never match");
            }
            if (!seen.add(w)) throw new IllegalArgumentException("duplicate word '" + w + "' in vocabulary");
        }
    }
}
