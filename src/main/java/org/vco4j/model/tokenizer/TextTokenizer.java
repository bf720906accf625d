package org.vco4j.model.tokenizer;

import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}) run by DJL's bindings to the Rust
 * {@code tokenizers} library, plus what transformers reads beside it: special tokens from
 * {@code tokenizer_config.json} and {@code special_tokens_map.json} (the latter wins, as in transformers).
 *
 * <p>Loading never touches the network: DJL is put in offline mode with its bundled CPU library
 * (see {@link DjlDefaults}) before its first use, unless the user configured otherwise. Truncation and
 * padding are off, whatever the file says, so ids always cover the whole text.
 *
 * <p>Owns native memory (the Rust tokenizer): {@link #close()} it.
 */
public final class TextTokenizer implements AutoCloseable {
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_FILE = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_FILE = "special_tokens_map.json";

    private static final ObjectMapper JSON = Json.MAPPER;

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> vocabulary;
    private final Set<Long> specialIds;
    private final int vocabSize;
    private final SpecialTokens specialTokens;
    private volatile boolean closed;

    private TextTokenizer(Path file, HuggingFaceTokenizer tokenizer, Map<String, Integer> vocabulary, Set<Long> specialIds,
                          SpecialTokens specialTokens) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.specialIds = specialIds;
        this.vocabSize = vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.specialTokens = specialTokens;
    }

    /**
     * Loads the tokenizer of a checkpoint folder ({@code path/tokenizer.json}), or of a
     * {@code tokenizer.json} given directly, with the config files beside it when present.
     *
     * @throws TokenizerLoadException naming the file that is missing, is not JSON, or is not a tokenizer
     */
    public static TextTokenizer load(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve(TOKENIZER_FILE) : path;
        JsonNode root = readJson(file, true);
        Map<String, Integer> vocabulary = vocabulary(file, root);
        Path folder = file.toAbsolutePath().getParent();
        JsonNode config = readJson(folder.resolve(CONFIG_FILE), false);
        JsonNode map = readJson(folder.resolve(SPECIAL_TOKENS_FILE), false);
        SpecialTokens special = new SpecialTokens(
                specialToken("bos_token", config, map), specialToken("eos_token", config, map),
                specialToken("unk_token", config, map), specialToken("pad_token", config, map), imageToken(config));

        DjlDefaults.ensureApplied();
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of("truncation", "false", "padding", "false"));
        } catch (EngineException e) {
            // Not the file's fault: the native library itself failed to load.
            throw new IllegalStateException("DJL's tokenizers native library could not be loaded: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new TokenizerLoadException(file, "not a tokenizer the tokenizers library accepts: " + e.getMessage(), e);
        }
        checkAddedTokenIds(file, root, tokenizer);
        return new TextTokenizer(file, tokenizer, vocabulary, specialAddedTokenIds(root), special);
    }

    /**
     * The tokenizers library numbers added tokens missing from the model's vocabulary after it, whatever id the file
     * gives them; a file whose ids disagree (an added token beyond a vocabulary too short for it) would make the image
     * token or end of turn silently another id. Refused, naming the token.
     */
    private static void checkAddedTokenIds(Path file, JsonNode root, HuggingFaceTokenizer tokenizer) throws TokenizerLoadException {
        JsonNode added = root.get("added_tokens");
        if (added == null || !added.isArray()) return;
        for (JsonNode t : added) {
            if (!t.path("special").asBoolean(false) || !t.hasNonNull("content") || !t.hasNonNull("id")) continue;
            long[] ids = tokenizer.encode(t.get("content").asText(), false, false).getIds();
            if (ids.length != 1 || ids[0] != t.get("id").asLong()) {
                tokenizer.close();
                throw new TokenizerLoadException(file, "added token \"" + t.get("content").asText() + "\" has id " + t.get("id").asLong()
                        + " in added_tokens but the tokenizers library gives it " + Arrays.toString(ids)
                        + " (added tokens missing from model.vocab are numbered after it)", null);
            }
        }
    }

    /** The {@code tokenizer.json} this was loaded from. */
    public Path file() {
        return file;
    }

    /** Tokens of {@code text}, with their char ranges; {@code addSpecialTokens} applies the post-processor (e.g. BOS). */
    public TokenizedText tokenize(String text, boolean addSpecialTokens) {
        checkOpen();
        Encoding enc = tokenizer.encode(text, addSpecialTokens, false);
        long[] ids = enc.getIds();
        CharSpan[] spans = enc.getCharTokenSpans();
        long[] specialMask = enc.getSpecialTokenMask();
        int[] starts = new int[ids.length];
        int[] ends = new int[ids.length];
        boolean[] special = new boolean[ids.length];
        // The Rust library counts offsets in Unicode code points; Java strings index UTF-16 units.
        int[] unitIndex = codePointToCharIndex(text);
        for (int i = 0; i < ids.length; i++) {
            CharSpan span = spans[i];
            if (span != null) {
                starts[i] = unitIndex[Math.min(span.getStart(), unitIndex.length - 1)];
                ends[i] = unitIndex[Math.min(span.getEnd(), unitIndex.length - 1)];
            }
            // The library's mask only covers tokens its post-processor added, not special tokens found in the text.
            special[i] = specialMask[i] != 0 || specialIds.contains(ids[i]);
        }
        return new TokenizedText(text, ids, enc.getTokens(), starts, ends, special);
    }

    /** The token ids of {@code text}. */
    public long[] encode(String text, boolean addSpecialTokens) {
        checkOpen();
        return tokenizer.encode(text, addSpecialTokens, false).getIds();
    }

    /**
     * For the tokens of {@code encode(text, true)} (the model's input, BOS included), whether each
     * overlaps any of the char spans {@code {start, end}} (end exclusive), e.g. the response part of a
     * conversation.
     */
    public boolean[] tokenMask(String text, List<int[]> charSpans) {
        return tokenize(text, true).tokenMask(charSpans);
    }

    /** The text of {@code ids}, as the tokenizer's decoder renders it. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        checkOpen();
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size " + vocabSize + ") of " + file);
            }
        }
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /** The id of a vocabulary entry or added token. */
    public int tokenId(String token) {
        Integer id = vocabulary.get(token);
        if (id == null) throw new IllegalArgumentException("token '" + token + "' is not in the vocabulary of " + file);
        return id;
    }

    /** Whether {@code token} is a vocabulary entry or added token. */
    public boolean hasToken(String token) {
        return vocabulary.containsKey(token);
    }

    /** Number of ids, added tokens included: transformers' {@code len(tokenizer)}. */
    public int vocabSize() {
        return vocabSize;
    }

    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    public OptionalInt bosTokenId() { return idOf(specialTokens.bos()); }
    public OptionalInt eosTokenId() { return idOf(specialTokens.eos()); }
    public OptionalInt unkTokenId() { return idOf(specialTokens.unk()); }
    public OptionalInt padTokenId() { return idOf(specialTokens.pad()); }
    /** The id of the image token, when the vocabulary has it (LLaVA-1.5's original tokenizer does not). */
    public OptionalInt imageTokenId() { return idOf(specialTokens.image()); }

    /** Releases the native tokenizer; later calls to encode or decode fail. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            tokenizer.close();
        }
    }

    private OptionalInt idOf(String token) {
        Integer id = token == null ? null : vocabulary.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("tokenizer " + file + " is closed");
    }

    /** Entry {@code k} is the char index where code point {@code k} starts; the last entry is the length. */
    private static int[] codePointToCharIndex(String text) {
        int n = text.codePointCount(0, text.length());
        int[] out = new int[n + 1];
        int index = 0;
        for (int k = 0; k < n; k++) {
            out[k] = index;
            index += Character.charCount(text.codePointAt(index));
        }
        out[n] = text.length();
        return out;
    }

    private static JsonNode readJson(Path file, boolean required) throws TokenizerLoadException {
        if (!Files.exists(file)) {
            if (required) throw new TokenizerLoadException(file, "file does not exist", null);
            return null;
        }
        try {
            JsonNode node = JSON.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) throw new TokenizerLoadException(file, "does not hold a JSON object", null);
            return node;
        } catch (JsonProcessingException e) {
            throw new TokenizerLoadException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerLoadException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Token to id, from the model's vocabulary and the added tokens. */
    private static Map<String, Integer> vocabulary(Path file, JsonNode root) throws TokenizerLoadException {
        Map<String, Integer> vocab = new HashMap<>();
        JsonNode model = root.get("model");
        JsonNode entries = model == null ? null : model.get("vocab");
        if (entries == null) throw new TokenizerLoadException(file, "has no model.vocab section", null);
        if (entries.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                vocab.put(e.getKey(), e.getValue().asInt());
            }
        } else if (entries.isArray()) {
            // Unigram: a list of [piece, score], the id being the position.
            for (int i = 0; i < entries.size(); i++) vocab.put(entries.get(i).get(0).asText(), i);
        } else {
            throw new TokenizerLoadException(file, "model.vocab is neither an object nor a list", null);
        }
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode t : added) {
                if (t.hasNonNull("content") && t.hasNonNull("id")) vocab.put(t.get("content").asText(), t.get("id").asInt());
            }
        }
        return vocab;
    }

    /** Ids of the added tokens flagged {@code "special": true}. */
    private static Set<Long> specialAddedTokenIds(JsonNode root) {
        Set<Long> ids = new HashSet<>();
        JsonNode added = root.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode t : added) {
                if (t.path("special").asBoolean(false) && t.hasNonNull("id")) ids.add(t.get("id").asLong());
            }
        }
        return Set.copyOf(ids);
    }

    /** A special token named in special_tokens_map.json or else tokenizer_config.json: a string or {"content": ...}. */
    private static String specialToken(String key, JsonNode config, JsonNode map) {
        String fromMap = tokenText(map == null ? null : map.get(key));
        return fromMap != null ? fromMap : tokenText(config == null ? null : config.get(key));
    }

    private static String imageToken(JsonNode config) {
        if (config != null) {
            String direct = tokenText(config.get("image_token"));
            if (direct != null) return direct;
            JsonNode extra = config.get("extra_special_tokens");
            String fromExtra = tokenText(extra == null ? null : extra.get("image_token"));
            if (fromExtra != null) return fromExtra;
        }
        return SpecialTokens.DEFAULT_IMAGE_TOKEN;
    }

    private static String tokenText(JsonNode node) {
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) return node.textValue();
        if (node.isObject() && node.hasNonNull("content")) return node.get("content").asText();
        return null;
    }
}
