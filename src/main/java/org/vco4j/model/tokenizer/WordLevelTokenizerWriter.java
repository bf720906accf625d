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
import java.util.Map;
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

    /**
     * The special tokens of a tokenizer folder, ids 0.. in the order of {@code tokens}; {@code bos} is null when
     * none is declared, and only a set with {@code addBos} puts it in front of every encoded text.
     */
    public record SpecialSet(List<String> tokens, String unk, String bos, String eos, String pad,
                             List<String> additional, boolean addBos) {
        public SpecialSet {
            tokens = List.copyOf(tokens);
            additional = List.copyOf(additional);
            if (addBos && bos == null) throw new IllegalArgumentException("addBos needs a bos token");
            for (String t : java.util.Arrays.asList(unk, bos, eos, pad)) {
                if (t != null && !tokens.contains(t)) throw new IllegalArgumentException(t + " is not among " + tokens);
            }
        }

        /** The id of a special token. */
        public int id(String token) {
            int id = tokens.indexOf(token);
            if (id < 0) throw new IllegalArgumentException(token + " is not among " + tokens);
            return id;
        }
    }

    /** Llama's tokens: {@code <unk> <s> </s> <pad> <image>}, a BOS in front of every text. */
    public static final SpecialSet LLAMA = new SpecialSet(SPECIAL_TOKENS, UNK, BOS, EOS, PAD, List.of(IMAGE), true);

    /**
     * Qwen's ChatML tokens and LLaVA's image placeholder: {@code <|endoftext|>} (padding), {@code <|im_start|>},
     * {@code <|im_end|>} (end of sequence), {@code <image>}, and {@code <unk>} for words outside the vocabulary
     * (a word-level model needs one); no BOS.
     */
    public static final SpecialSet CHATML = new SpecialSet(
            List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", IMAGE, UNK), UNK, null, "<|im_end|>", "<|endoftext|>",
            List.of("<|im_start|>", "<|im_end|>", IMAGE), false);
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
        return write(dir, LLAMA, words, modelMaxLength);
    }

    /** As {@link #write(Path, List, int)} with the special tokens of {@code specials}. */
    public static int write(Path dir, SpecialSet specials, List<String> words, int modelMaxLength) throws IOException {
        validate(specials, words);
        List<String> tokens = new ArrayList<>(specials.tokens());
        tokens.addAll(words);
        writeFiles(dir, specials, tokens, modelMaxLength);
        return tokens.size();
    }

    /**
     * Writes a tokenizer of exactly {@code vocabSize} ids with each special token at the id {@code specialIds}
     * gives it (the rest at the lowest free ids), as a real checkpoint's tokenizer places them: the default
     * vocabulary fills the next free ids and numbered filler words ({@code w1234}) the remaining ones. For random
     * checkpoints of a real config, whose token ids (image token 32000, ChatML tokens 151643..) must exist.
     */
    public static void writeSized(Path dir, SpecialSet specials, Map<String, Integer> specialIds, int vocabSize,
                                  int modelMaxLength) throws IOException {
        String[] tokens = new String[vocabSize];
        for (Map.Entry<String, Integer> e : specialIds.entrySet()) {
            specials.id(e.getKey());
            int id = e.getValue();
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException(e.getKey() + " has id " + id + ", outside the vocabulary of " + vocabSize);
            }
            if (tokens[id] != null) throw new IllegalArgumentException(e.getKey() + " and " + tokens[id] + " both have id " + id);
            tokens[id] = e.getKey();
        }
        java.util.Iterator<String> fill = java.util.stream.Stream.concat(
                specials.tokens().stream().filter(t -> !specialIds.containsKey(t)),
                java.util.stream.Stream.concat(defaultVocabulary().stream(),
                        java.util.stream.IntStream.range(0, vocabSize).mapToObj(i -> "w" + i))).iterator();
        for (int id = 0; id < vocabSize; id++) {
            if (tokens[id] != null) continue;
            if (!fill.hasNext()) throw new IllegalArgumentException("a vocabulary of " + vocabSize + " ids cannot hold the special tokens");
            tokens[id] = fill.next();
        }
        List<String> all = List.of(tokens);
        validate(specials, all.stream().filter(t -> !specials.tokens().contains(t)).toList());
        writeFiles(dir, specials, all, modelMaxLength);
    }

    /** Writes the three files for a vocabulary given as token per id, special tokens among them. */
    private static void writeFiles(Path dir, SpecialSet specials, List<String> tokens, int modelMaxLength) throws IOException {
        if (modelMaxLength <= 0) throw new IllegalArgumentException("model_max_length must be positive, got " + modelMaxLength);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), Json.PRETTY.writeValueAsString(tokenizerJson(specials, tokens)) + "\n");
        Files.writeString(dir.resolve("tokenizer_config.json"), Json.PRETTY.writeValueAsString(tokenizerConfig(specials, tokens, modelMaxLength)) + "\n");
        Files.writeString(dir.resolve("special_tokens_map.json"), Json.PRETTY.writeValueAsString(specialTokensMap(specials)) + "\n");
    }

    static ObjectNode tokenizerJson(List<String> words) {
        List<String> tokens = new ArrayList<>(SPECIAL_TOKENS);
        tokens.addAll(words);
        return tokenizerJson(LLAMA, tokens);
    }

    /** tokenizer.json for a vocabulary given as token per id. */
    static ObjectNode tokenizerJson(SpecialSet specials, List<String> tokens) {
        List<String> special = specials.tokens();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < tokens.size(); id++) {
            if (!special.contains(tokens.get(id))) continue;
            ObjectNode t = added.addObject();
            t.put("id", id);
            addedToken(t, tokens.get(id));
        }
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "Whitespace");

        if (specials.addBos()) {
            root.set("post_processor", bosProcessor(specials.bos(), tokens.indexOf(specials.bos())));
        } else {
            root.putNull("post_processor");
        }

        // WordPiece decoding joins tokens with spaces (no "##" pieces occur) and its cleanup removes the space before punctuation.
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);

        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) vocab.put(tokens.get(id), id);
        model.put("unk_token", specials.unk());
        return root;
    }

    /** A TemplateProcessing post-processor that puts {@code bos} in front of every sequence. */
    private static ObjectNode bosProcessor(String bosToken, int bosId) {
        ObjectNode post = Json.MAPPER.createObjectNode();
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bosToken).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bosToken).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bosToken).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject(bosToken);
        bos.put("id", bosToken);
        bos.putArray("ids").add(bosId);
        bos.putArray("tokens").add(bosToken);
        return post;
    }

    static ObjectNode tokenizerConfig(int modelMaxLength) {
        return tokenizerConfig(LLAMA, SPECIAL_TOKENS, modelMaxLength);
    }

    static ObjectNode tokenizerConfig(SpecialSet specials, List<String> tokens, int modelMaxLength) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("add_bos_token", specials.addBos());
        c.put("add_eos_token", false);
        ObjectNode decoder = c.putObject("added_tokens_decoder");
        for (int id = 0; id < tokens.size(); id++) {
            if (specials.tokens().contains(tokens.get(id))) addedToken(decoder.putObject(Integer.toString(id)), tokens.get(id));
        }
        ArrayNode additional = c.putArray("additional_special_tokens");
        specials.additional().forEach(additional::add);
        putToken(c, "bos_token", specials.bos());
        c.put("clean_up_tokenization_spaces", false);
        c.put("eos_token", specials.eos());
        c.put("model_max_length", modelMaxLength);
        c.put("pad_token", specials.pad());
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("unk_token", specials.unk());
        return c;
    }

    static ObjectNode specialTokensMap() {
        return specialTokensMap(LLAMA);
    }

    static ObjectNode specialTokensMap(SpecialSet specials) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        ArrayNode additional = m.putArray("additional_special_tokens");
        specials.additional().forEach(additional::add);
        if (specials.bos() != null) m.put("bos_token", specials.bos());
        m.put("eos_token", specials.eos());
        m.put("pad_token", specials.pad());
        m.put("unk_token", specials.unk());
        return m;
    }

    private static void putToken(ObjectNode node, String key, String token) {
        if (token == null) node.putNull(key);
        else node.put(key, token);
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

    private static void validate(SpecialSet specials, List<String> words) {
        Set<String> seen = new HashSet<>(specials.tokens());
        for (String w : words) {
            if (w == null || w.isEmpty()) throw new IllegalArgumentException("empty word in vocabulary");
            if (specials.tokens().contains(w)) throw new IllegalArgumentException("'" + w + "' is a special token, not a word");
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
