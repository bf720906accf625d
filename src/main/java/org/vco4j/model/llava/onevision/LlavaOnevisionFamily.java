package org.vco4j.model.llava.onevision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.Json;
import org.vco4j.model.ChatTemplateFiles;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.image.ImageSize;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.llava.LlavaConfig;
import org.vco4j.model.llava.LlavaFamily;
import org.vco4j.model.llava.LlavaSizes;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.model.tokenizer.TextTokenizer;
import org.vco4j.model.tokenizer.WordLevelTokenizerWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LLaVA-OneVision ({@code model_type} "llava_onevision", e.g. llava-hf/llava-onevision-qwen2-0.5b-ov-hf): LLaVA's
 * SigLIP tower, GELU projector and Qwen2 decoder with the same key layouts (plus {@code image_newline}), a tiled
 * ("anyres_max_9") image processor whose token count depends on each image's size
 * ({@link LlavaOnevisionImageProcessor}), and its own ChatML template without a default system turn. The tower and
 * projector are LLaVA's; {@code model.image_newline} is neither, so full fine-tuning trains it with the language model,
 * as LLaVA-NeXT's training code does (its {@code mm_language_model} part is every weight outside the tower and
 * {@code mm_projector}).
 */
public final class LlavaOnevisionFamily extends LlavaFamily {
    /** The tiny size: LLaVA-NeXT-Interleave's toy tower and decoder, tiled at 56 px into 16 tokens per tile. */
    public static final String TINY = "tiny";
    private static final int TINY_TILE = 56;
    /** Tiny pinpoints: every [h, w] with h, w in {56, 112, 168, 224}, so large images exercise anyres_max_9's downsizing. */
    private static final int TINY_GRID = 4;

    /**
     * The chat template transformers' conversion script gives llava-hf's LLaVA-OneVision checkpoints: ChatML, each
     * message's images first ({@code <image>\n}), then videos, then text; no default system turn.
     */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'}}"
            + "{# Render all images first #}{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}{{ '<image>\\n' }}{% endfor %}"
            + "{# Render all video then #}{% for content in message['content'] | selectattr('type', 'equalto', 'video') %}{{ '<video>\\n' }}{% endfor %}"
            + "{# Render all text next #}{% if message['role'] != 'assistant' %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}{{ content['text'] }}{% endfor %}"
            + "{% else %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}{% generation %}{{ content['text'] }}{% endgeneration %}{% endfor %}{% endif %}"
            + "{{'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** Qwen's ChatML tokens with LLaVA-OneVision's {@code <image>} and {@code <video>}, and {@code <unk>} for the word-level model. */
    static final WordLevelTokenizerWriter.SpecialSet SPECIAL_TOKENS = new WordLevelTokenizerWriter.SpecialSet(
            List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<image>", "<video>", WordLevelTokenizerWriter.UNK),
            WordLevelTokenizerWriter.UNK, null, "<|im_end|>", "<|endoftext|>",
            List.of("<|im_start|>", "<|im_end|>", "<image>", "<video>"), false);

    private static final String PROCESSOR_CONFIG = "processor_config.json";

    @Override public List<String> modelTypes() { return List.of(LlavaOnevisionConfig.MODEL_TYPE); }
    @Override public String name() { return "llava-onevision"; }
    @Override public List<String> tinySizes() { return List.of(TINY); }
    @Override public Map<String, List<String>> tinyModels() { return Map.of(name(), tinySizes()); }
    @Override public String tinySize(String model, String size) { return size; }
    @Override protected LlavaConfig config(JsonNode json) { return parse(json); }
    @Override protected WordLevelTokenizerWriter.SpecialSet specialTokens(LlavaConfig config) { return SPECIAL_TOKENS; }

    /** ChatML's tokens as for LLaVA-NeXT-Interleave, and {@code <video>} at video_token_index. */
    @Override
    protected Map<String, Integer> specialTokenIds(LlavaConfig config) {
        Map<String, Integer> ids = super.specialTokenIds(config);
        ids.put("<video>", ((LlavaOnevisionConfig) config).videoTokenIndex);
        return ids;
    }

    @Override
    public VisionLanguageModel build(JsonNode config, ParameterFactory factory) {
        return new LlavaOnevisionForConditionalGeneration(factory, parse(config));
    }

    /**
     * config.json as a {@link LlavaOnevisionConfig}: a missing or null sub-config takes the class default, and a
     * sub-config without {@code model_type} is read as qwen2 (text) or siglip_vision_model (vision), as transformers does.
     */
    static LlavaOnevisionConfig parse(JsonNode json) {
        JsonNode tree = withoutNullSubConfigs(json);
        if (tree.isObject()) {
            ObjectNode copy = ((ObjectNode) tree).deepCopy();
            defaultModelType(copy, "text_config", "qwen2");
            defaultModelType(copy, "vision_config", "siglip_vision_model");
            tree = copy;
        }
        return ConfigJson.read(tree, LlavaOnevisionConfig.class);
    }

    private static void defaultModelType(ObjectNode config, String key, String modelType) {
        if (config.get(key) instanceof ObjectNode sub && !sub.has("model_type")) sub.put("model_type", modelType);
    }

    @Override
    public List<String> defaultedKeys(JsonNode config) {
        List<String> out = new ArrayList<>();
        if (!config.hasNonNull("text_config")) out.add("text_config (transformers' Qwen2Config defaults: Qwen2-7B shapes)");
        if (!config.hasNonNull("vision_config")) out.add("vision_config (SigLIP-so400m at 384 px, 26 layers)");
        return out;
    }

    @Override
    public VlmProcessor processor(Path folder, JsonNode json, TextTokenizer tokenizer, long endOfSequenceId) throws IOException {
        LlavaOnevisionConfig config = parse(json);
        config.validate();
        AnyresGrid grid = config.anyresGrid();
        checkProcessorConfig(folder.resolve(PROCESSOR_CONFIG), config, grid);
        LlavaOnevisionImageProcessor images = LlavaOnevisionImageProcessor.read(folder.resolve(PreprocessorConfig.FILE_NAME), grid);
        return new VlmProcessor(tokenizer, images, ChatTemplateFiles.load(folder), config.imageTokenIndex, endOfSequenceId,
                config.textConfig.maxPositionEmbeddings);
    }

    /**
     * {@code processor_config.json}, when present, must count image tokens as the model makes them: its
     * {@code num_image_tokens} per tile, {@code vision_feature_select_strategy} and {@code vision_aspect_ratio}.
     */
    private static void checkProcessorConfig(Path file, LlavaOnevisionConfig config, AnyresGrid grid) throws IOException {
        if (!Files.isRegularFile(file)) return;
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        if (root == null || !root.isObject()) throw new ModelLoadException(file + ": must hold a JSON object");
        JsonNode tokens = root.path("num_image_tokens");
        if (!tokens.isMissingNode() && !tokens.isNull() && !(tokens.isInt() && tokens.intValue() == grid.tileFeatures())) {
            throw new ModelLoadException(file + ": num_image_tokens is " + tokens + " but the vision tower gives "
                    + grid.tileFeatures() + " per tile ((image_size / patch_size)²)");
        }
        requireSame(file, root, "vision_feature_select_strategy", config.visionFeatureSelectStrategy);
        requireSame(file, root, "vision_aspect_ratio", config.visionAspectRatio);
    }

    private static void requireSame(Path file, JsonNode root, String key, String expected) {
        JsonNode value = root.path(key);
        if (value.isMissingNode() || value.isNull()) return;
        if (!value.isTextual() || !value.textValue().equals(expected)) {
            throw new ModelLoadException(file + ": " + key + " is " + value + " but config.json says \"" + expected
                    + "\" (the prompt's image tokens would not match the model's features)");
        }
    }

    /**
     * A random LLaVA-OneVision checkpoint at toy width in the hub layout: config.json, weights, a ChatML word-level
     * tokenizer with {@code <image>} and {@code <video>}, LlavaOnevisionImageProcessor settings (56-pixel tiles, mean
     * and std 0.5, the tiny pinpoints), processor_config.json, the chat template and generation_config.json.
     */
    @Override
    public void writeTiny(Path folder, String size, long seed, boolean legacyLayout) throws IOException {
        if (!TINY.equals(size)) throw new IllegalArgumentException("size " + size + ": unknown size (known: " + tinySizes() + ")");
        Files.createDirectories(folder);
        List<String> words = WordLevelTokenizerWriter.defaultVocabulary();
        int vocabSize = SPECIAL_TOKENS.tokens().size() + words.size();
        int endOfText = SPECIAL_TOKENS.id("<|endoftext|>");
        int imEnd = SPECIAL_TOKENS.id("<|im_end|>");
        LlavaOnevisionConfig config = tiny(vocabSize, SPECIAL_TOKENS.id("<image>"), SPECIAL_TOKENS.id("<video>"), endOfText, imEnd);
        writeTinyFiles(folder, config, SPECIAL_TOKENS, words, seed, legacyLayout);
    }

    /**
     * LlavaOnevisionImageProcessor settings (tiles of the tower's size, mean and std 0.5, the config's pinpoints),
     * processor_config.json, the chat template and generation_config.json.
     */
    @Override
    protected void writeProcessorFiles(Path folder, LlavaConfig llava) throws IOException {
        LlavaOnevisionConfig config = (LlavaOnevisionConfig) llava;
        int tile = config.visionConfig.imageSize;
        ObjectNode preprocessor = PreprocessorConfig.onevisionBuilder().size(ImageSize.exact(tile, tile))
                .imageMean(PreprocessorConfig.STANDARD_MEAN).imageStd(PreprocessorConfig.STANDARD_STD).build().toJson();
        preprocessor.put("do_pad", true);
        preprocessor.set("image_grid_pinpoints", Json.MAPPER.valueToTree(config.imageGridPinpoints));
        preprocessor.put("processor_class", "LlavaOnevisionProcessor");
        writeJson(folder.resolve(PreprocessorConfig.FILE_NAME), preprocessor);
        writeJson(folder.resolve(PROCESSOR_CONFIG), Json.MAPPER.createObjectNode()
                .put("image_token", "<image>")
                .put("num_image_tokens", config.anyresGrid().tileFeatures())
                .put("processor_class", "LlavaOnevisionProcessor")
                .put("video_token", "<video>")
                .put("vision_aspect_ratio", config.visionAspectRatio)
                .put("vision_feature_select_strategy", config.visionFeatureSelectStrategy));
        writeJson(folder.resolve("chat_template.json"), Json.MAPPER.createObjectNode().put("chat_template", CHAT_TEMPLATE));
        ObjectNode generation = Json.MAPPER.createObjectNode();
        if (bos(config.textConfig) != null) generation.put("bos_token_id", bos(config.textConfig));
        if (eos(config.textConfig) != null) generation.put("eos_token_id", eos(config.textConfig));
        if (config.padTokenId != null) generation.put("pad_token_id", config.padTokenId);
        writeJson(folder.resolve("generation_config.json"), generation);
    }

    /**
     * The tiny config: LLaVA-NeXT-Interleave's toy SigLIP (56-pixel images, 14-pixel patches: 16 tokens per tile) and
     * toy Qwen2 (tied embeddings), with pinpoints up to 4×4 tiles. A 4×4 grid is 16×16 = 256 features, more than
     * anyres_max_9 allows (ratio √(256 / (9·16)) = 1.33 > 1.1), so large images are downsized.
     */
    static LlavaOnevisionConfig tiny(int vocabSize, int imageToken, int videoToken, int endOfText, int imEnd) {
        LlavaConfig toy = LlavaSizes.interleave(vocabSize, imageToken, endOfText, imEnd, endOfText);
        LlavaOnevisionConfig config = new LlavaOnevisionConfig();
        config.textConfig = toy.textConfig;
        config.visionConfig = toy.visionConfig;
        config.imageTokenIndex = imageToken;
        config.videoTokenIndex = videoToken;
        config.padTokenId = toy.padTokenId;
        config.tieWordEmbeddings = true;
        config.imageGridPinpoints = LlavaOnevisionConfig.squareGrid(TINY_TILE, TINY_GRID);
        config.torchDtype = "float32";
        config.validate();
        return config;
    }
}
