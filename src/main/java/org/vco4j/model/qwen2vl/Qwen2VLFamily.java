package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.model.ChatTemplateFiles;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.RandomCheckpoint;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.model.processing.ChatTemplate;
import org.vco4j.model.processing.JinjaChatTemplate;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.tokenizer.TextTokenizer;
import org.vco4j.model.tokenizer.WordLevelTokenizerWriter;
import org.vco4j.model.tokenizer.WordLevelTokenizerWriter.SpecialSet;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Qwen2-VL ({@code model_type} "qwen2_vl", e.g. Qwen/Qwen2-VL-2B-Instruct): the vision transformer with its patch
 * merger, a Qwen2 decoder with M-RoPE, ChatML with {@code <|vision_start|><|image_pad|><|vision_end|>} per image, and
 * {@link Qwen2VLImageProcessor} (smart_resize; an image takes its merged patch count of slots). Checkpoints are read in
 * the hub's key layout ({@code visual.*}, {@code model.*}, {@code lm_head.*}) and in transformers ≥ 4.52's
 * ({@code model.visual.*}, {@code model.language_model.*}); they are written in the hub's. The merger
 * ({@code visual.merger}) is the projector, the rest of {@code visual} the vision tower; LoRA goes into the text model.
 */
public final class Qwen2VLFamily implements ModelFamily {
    public static final String TINY = "tiny";
    private static final String VISUAL = "visual.";
    private static final String MERGER = "visual.merger.";
    private static final String NEW_VISUAL = "model.visual.";
    private static final String NEW_LANGUAGE_MODEL = "model.language_model.";
    private static final List<String> LORA_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    private static final List<String> LORA_SCOPE = List.of("model");
    public static final String IMAGE_PAD = "<|image_pad|>";

    /**
     * Qwen2-VL's special tokens in the hub's order (151643 {@code <|endoftext|>} … 151656 {@code <|video_pad|>}), and
     * {@code <unk>} for the word-level model; {@code <|im_end|>} ends a turn, {@code <|endoftext|>} pads; no BOS.
     */
    static final SpecialSet SPECIAL_TOKENS = new SpecialSet(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>",
            "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>",
            "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", IMAGE_PAD, "<|video_pad|>", WordLevelTokenizerWriter.UNK),
            WordLevelTokenizerWriter.UNK, null, "<|im_end|>", "<|endoftext|>",
            List.of("<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>", "<|box_end|>",
                    "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", IMAGE_PAD,
                    "<|video_pad|>"), false);
    /** Qwen's {@code <|endoftext|>}; the other special tokens follow it. */
    private static final int QWEN_END_OF_TEXT = 151643;

    /**
     * The Instruct models' chat format: a default system turn, {@code <|im_start|>role\n…<|im_end|>\n} per message,
     * each image part as {@code <|vision_start|><|image_pad|><|vision_end|>}, each video part with {@code <|video_pad|>},
     * and {@code <|im_start|>assistant\n} as the generation prompt.
     */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}"
            + "{% if loop.first and message['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' }}"
            + "{% if message['content'] is string %}{{ message['content'] }}"
            + "{% else %}{% for content in message['content'] %}"
            + "{% if content['type'] == 'image' %}{{ '<|vision_start|><|image_pad|><|vision_end|>' }}"
            + "{% elif content['type'] == 'video' %}{{ '<|vision_start|><|video_pad|><|vision_end|>' }}"
            + "{% elif content['type'] == 'text' %}{{ content['text'] }}{% endif %}"
            + "{% endfor %}{% endif %}"
            + "{{ '<|im_end|>\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** The tiny image processor's bounds: the hub's min_pixels, at most 12 × 12 patches (36 image tokens). */
    static final long TINY_MIN_PIXELS = 56 * 56;
    static final long TINY_MAX_PIXELS = 168 * 168;

    @Override public List<String> modelTypes() { return List.of(Qwen2VLConfig.MODEL_TYPE); }
    @Override public String name() { return "qwen2-vl"; }
    @Override public List<String> tinySizes() { return List.of(TINY); }
    @Override public boolean isVisionTower(String parameterName) { return parameterName.startsWith(VISUAL) && !isProjector(parameterName); }
    @Override public boolean isProjector(String parameterName) { return parameterName.startsWith(MERGER); }
    @Override public List<String> defaultLoraTargets() { return LORA_TARGETS; }
    @Override public List<String> loraScope() { return LORA_SCOPE; }

    @Override
    public VisionLanguageModel build(JsonNode config, ParameterFactory factory) {
        return new Qwen2VLForConditionalGeneration(factory, Qwen2VLConfig.fromJson(config));
    }

    /** Keys of the hub's layout are module names; transformers ≥ 4.52's {@code model.visual.} and {@code model.language_model.} map onto them. */
    @Override
    public String moduleName(String checkpointKey) {
        if (checkpointKey.startsWith(NEW_VISUAL)) return VISUAL + checkpointKey.substring(NEW_VISUAL.length());
        if (checkpointKey.startsWith(NEW_LANGUAGE_MODEL)) return "model." + checkpointKey.substring(NEW_LANGUAGE_MODEL.length());
        return checkpointKey;
    }

    /** The hub's layout, in which every published Qwen2-VL checkpoint is stored (both settings of the legacy flag). */
    @Override
    public String checkpointKey(String moduleName, boolean legacyLayout) {
        return moduleName;
    }

    @Override
    public VlmProcessor processor(Path folder, JsonNode json, TextTokenizer tokenizer, long endOfSequenceId) throws IOException {
        Qwen2VLConfig config = Qwen2VLConfig.fromJson(json);
        Path file = folder.resolve(PreprocessorConfig.FILE_NAME);
        if (!Files.isRegularFile(file)) throw new ModelLoadException(file + ": not found (the image processor's settings)");
        Qwen2VLImageProcessor images = Qwen2VLImageProcessor.read(file);
        requireSame(file, "patch_size", images.patchSize(), "vision_config.patch_size", config.vision.patchSize);
        requireSame(file, "temporal_patch_size", images.temporalPatchSize(), "vision_config.temporal_patch_size",
                config.vision.temporalPatchSize);
        requireSame(file, "merge_size", images.mergeSize(), "vision_config.spatial_merge_size", config.vision.spatialMergeSize);
        ChatTemplate template = ChatTemplateFiles.load(folder);
        if (!(template instanceof JinjaChatTemplate jinja)) {
            throw new ModelLoadException(folder + ": the chat template must be a Jinja template");
        }
        return new VlmProcessor(tokenizer, images, new Qwen2VLChatTemplate(jinja), config.imageTokenId, endOfSequenceId,
                config.text.maxPositionEmbeddings);
    }

    private static void requireSame(Path file, String key, int value, String configKey, int expected) {
        if (value != expected) {
            throw new ModelLoadException(file + ": " + key + " is " + value + " but config.json's " + configKey + " is " + expected
                    + " (the image's tokens would not match the tower's features)");
        }
    }

    /**
     * A random Qwen2-VL at toy width in the hub's layout: config.json (original form), weights, a word-level tokenizer
     * with Qwen2-VL's special tokens, preprocessor_config.json (min_pixels 3136, max_pixels 28224: 4 to 36 tokens per
     * image), the chat template and generation_config.json.
     */
    @Override
    public void writeTiny(Path folder, String size, long seed, boolean legacyLayout) throws IOException {
        if (!TINY.equals(size)) throw new IllegalArgumentException("size " + size + ": unknown size (known: " + tinySizes() + ")");
        Files.createDirectories(folder);
        List<String> words = WordLevelTokenizerWriter.defaultVocabulary();
        int vocabSize = SPECIAL_TOKENS.tokens().size() + words.size();
        Qwen2VLConfig config = tiny(vocabSize);
        try (PointerScope scope = new PointerScope();
             Qwen2VLForConditionalGeneration model = new Qwen2VLForConditionalGeneration(ParameterFactory.cpuFloat32(), config)) {
            RandomInit.apply(model, seed, 0.02);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            model.namedParameters().forEach((name, t) -> tensors.put(checkpointKey(name, legacyLayout), t));
            SafetensorsCheckpointWriter.writeSharded(folder, tensors, Long.MAX_VALUE);
        }
        writeJson(folder.resolve("config.json"), config.toJson());
        int written = WordLevelTokenizerWriter.write(folder, SPECIAL_TOKENS, words, config.text.maxPositionEmbeddings);
        if (written != vocabSize) throw new IllegalStateException("tokenizer has " + written + " tokens, config says " + vocabSize);
        writeProcessorFiles(folder, config, TINY_MIN_PIXELS, TINY_MAX_PIXELS);
    }

    /**
     * The tiny config: a 2-layer vision transformer (width 32, 2 heads) and a 2-layer Qwen2 decoder (width 64, 4 query and
     * 2 key-value heads, head width 16) with mrope_section [2, 3, 3] (Qwen2-VL's 16 : 24 : 24 at an eighth), tied
     * embeddings as in Qwen2-VL-2B, the special tokens at the tokenizer's ids.
     */
    static Qwen2VLConfig tiny(int vocabSize) {
        Qwen2Config text = new Qwen2Config();
        text.vocabSize = vocabSize;
        text.hiddenSize = 64;
        text.intermediateSize = 128;
        text.numHiddenLayers = 2;
        text.numAttentionHeads = 4;
        text.numKeyValueHeads = 2;
        text.maxPositionEmbeddings = 2048;
        text.maxWindowLayers = 2;
        text.slidingWindow = 2048;
        text.rmsNormEps = 1e-6;
        text.ropeTheta = 1000000.0;
        text.tieWordEmbeddings = true;
        text.bosTokenId = SPECIAL_TOKENS.id("<|endoftext|>");
        text.eosTokenId = SPECIAL_TOKENS.id("<|im_end|>");
        Qwen2VLVisionConfig vision = Qwen2VLVisionConfig.of(2, 32, 2, 64, 14);
        Qwen2VLConfig config = new Qwen2VLConfig(text, vision, new int[] {2, 3, 3}, true, SPECIAL_TOKENS.id(IMAGE_PAD),
                SPECIAL_TOKENS.id("<|video_pad|>"), SPECIAL_TOKENS.id("<|vision_start|>"), SPECIAL_TOKENS.id("<|vision_end|>"),
                "float32");
        config.validate("");
        return config;
    }

    /**
     * Random weights of any Qwen2-VL config.json's shape, the config as given ({@code torch_dtype} set), a tokenizer of
     * its vocabulary with the special tokens at the config's ids (151643.. as the hub has them) and the hub's processor
     * files (its min_pixels and max_pixels).
     */
    @Override
    public void writeRandom(Path folder, JsonNode json, ScalarType dtype, long seed) throws IOException {
        Qwen2VLConfig config = Qwen2VLConfig.fromJson(json);
        Files.createDirectories(folder);
        RandomCheckpoint.writeWeights(folder, this, json, dtype, seed);
        ObjectNode written = ((ObjectNode) json).deepCopy();
        written.put("torch_dtype", RandomCheckpoint.torchDtype(dtype));
        writeJson(folder.resolve("config.json"), written);
        Map<String, Integer> ids = new LinkedHashMap<>();
        int endOfText = config.text.bosTokenId != null ? config.text.bosTokenId : QWEN_END_OF_TEXT;
        List<String> tokens = SPECIAL_TOKENS.tokens();
        for (int i = 0; i < tokens.size() - 1; i++) ids.put(tokens.get(i), endOfText + i);
        ids.put(IMAGE_PAD, config.imageTokenId);
        ids.put("<|video_pad|>", config.videoTokenId);
        ids.put("<|vision_start|>", config.visionStartTokenId);
        ids.put("<|vision_end|>", config.visionEndTokenId);
        if (config.text.eosTokenId != null) ids.put("<|im_end|>", config.text.eosTokenId);
        WordLevelTokenizerWriter.writeSized(folder, SPECIAL_TOKENS, ids, config.text.vocabSize, config.text.maxPositionEmbeddings);
        writeProcessorFiles(folder, config, 56 * 56, 28L * 28 * 1280);
    }

    /** preprocessor_config.json as the hub's Qwen2VLImageProcessor file, the chat template and generation_config.json. */
    private static void writeProcessorFiles(Path folder, Qwen2VLConfig config, long minPixels, long maxPixels) throws IOException {
        ObjectNode preprocessor = Json.MAPPER.createObjectNode();
        preprocessor.put("do_convert_rgb", true);
        preprocessor.put("do_normalize", true);
        preprocessor.put("do_rescale", true);
        preprocessor.put("do_resize", true);
        ArrayNode mean = preprocessor.putArray("image_mean");
        for (double v : PreprocessorConfig.CLIP_MEAN) mean.add(v);
        ArrayNode std = preprocessor.putArray("image_std");
        for (double v : PreprocessorConfig.CLIP_STD) std.add(v);
        preprocessor.put("image_processor_type", Qwen2VLImageProcessor.PROCESSOR_TYPE);
        preprocessor.put("max_pixels", maxPixels);
        preprocessor.put("merge_size", config.vision.spatialMergeSize);
        preprocessor.put("min_pixels", minPixels);
        preprocessor.put("patch_size", config.vision.patchSize);
        preprocessor.put("processor_class", "Qwen2VLProcessor");
        preprocessor.put("resample", 3);
        preprocessor.put("rescale_factor", PreprocessorConfig.DEFAULT_RESCALE_FACTOR);
        preprocessor.put("temporal_patch_size", config.vision.temporalPatchSize);
        writeJson(folder.resolve(PreprocessorConfig.FILE_NAME), preprocessor);
        writeJson(folder.resolve("chat_template.json"), Json.MAPPER.createObjectNode().put("chat_template", CHAT_TEMPLATE));
        ObjectNode generation = Json.MAPPER.createObjectNode();
        if (config.text.bosTokenId != null) generation.put("bos_token_id", config.text.bosTokenId);
        if (config.text.eosTokenId != null) generation.put("eos_token_id", config.text.eosTokenId);
        if (config.text.bosTokenId != null) generation.put("pad_token_id", config.text.bosTokenId);
        writeJson(folder.resolve("generation_config.json"), generation);
    }

    private static void writeJson(Path file, JsonNode node) throws IOException {
        AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(node));
    }
}
