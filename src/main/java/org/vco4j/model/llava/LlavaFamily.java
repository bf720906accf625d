package org.vco4j.model.llava;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.model.ChatTemplateFiles;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.RandomCheckpoint;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.image.ImageSize;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.model.processing.FixedImagePreprocessor;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.model.tokenizer.TextTokenizer;
import org.vco4j.model.tokenizer.WordLevelTokenizerWriter;
import org.vco4j.model.tokenizer.WordLevelTokenizerWriter.SpecialSet;
import org.vco4j.model.llama.DecoderConfig;
import org.vco4j.model.llama.LlamaConfig;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.siglip.SiglipVisionConfig;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LLaVA ({@code model_type} "llava"): LLaVA-1.5 (CLIP ViT tower, MLP projector, Llama decoder) and
 * LLaVA-NeXT-Interleave (SigLIP tower, GELU projector, Qwen2 decoder), told apart by the sub-configs' model_type.
 * Its chat format is the folder's own {@code chat_template} (for llava-1.5 {@code "USER: <prompt> ASSISTANT:"}, for
 * the interleave models ChatML), its image processor the one {@code preprocessor_config.json} names (CLIP's or
 * SigLIP's), and every image takes {@link LlavaConfig#featuresPerImage()} slots. LLaVA-OneVision's family extends it
 * (same key layouts, tower, projector and LoRA placement).
 */
public class LlavaFamily implements ModelFamily {
    private static final String TEXT_CONFIG = "text_config";
    private static final String VISION_CONFIG = "vision_config";
    private static final String VISION_TOWER = "model.vision_tower.";
    private static final String PROJECTOR = "model.multi_modal_projector.";
    /** The attention and MLP projections of the Llama decoder. */
    private static final List<String> LORA_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
    private static final List<String> LORA_SCOPE = List.of("language_model");

    /**
     * Hugging Face's LLaVA-1.5 chat template ({@code llava-hf/llava-1.5-*-hf}), written next to tiny checkpoints; for
     * one user turn of text it renders {@code "USER: <prompt> ASSISTANT:"}.
     */
    public static final String JINJA_TEMPLATE = "{% for message in messages %}{% if message['role'] != 'system' %}"
            + "{{ message['role'].upper() + ': '}}{% endif %}{# Render all images first #}"
            + "{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}{{ '<image>\\n' }}{% endfor %}"
            + "{# Render all text next #}{% if message['role'] != 'assistant' %}"
            + "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}{{ content['text'] + ' '}}{% endfor %}"
            + "{% else %}{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
            + "{% generation %}{{ content['text'] + ' '}}{% endgeneration %}{% endfor %}{% endif %}{% endfor %}"
            + "{% if add_generation_prompt %}{{ 'ASSISTANT:' }}{% endif %}";

    /**
     * A ChatML template (Qwen's chat format, as LLaVA-NeXT-Interleave uses it), written next to tiny interleave
     * checkpoints: a default system turn "You are a helpful assistant.", {@code <|im_start|>role\n...<|im_end|>\n}
     * per message, image parts as {@code <image>\n}, and {@code <|im_start|>assistant\n} as the generation prompt.
     */
    public static final String CHATML_TEMPLATE = "{% for message in messages %}"
            + "{% if loop.first and message['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
            + "{{ '<|im_start|>' + message['role'] + '\n' }}"
            + "{% if message['content'] is string %}{{ message['content'] }}"
            + "{% else %}{% for content in message['content'] %}"
            + "{% if content['type'] == 'image' %}{{ '<image>\n' }}"
            + "{% elif content['type'] == 'text' %}{% if message['role'] == 'assistant' %}{% generation %}{{ content['text'] }}{% endgeneration %}"
            + "{% else %}{{ content['text'] }}{% endif %}{% endif %}"
            + "{% endfor %}{% endif %}"
            + "{{ '<|im_end|>\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    @Override public List<String> modelTypes() { return List.of("llava"); }
    @Override public String name() { return "llava"; }
    @Override public List<String> tinySizes() { return LlavaSizes.NAMES; }

    /** {@code llava} writes LLaVA-1.5's tiny sizes, {@code llava-interleave --size tiny} the interleave one. */
    @Override
    public Map<String, List<String>> tinyModels() {
        Map<String, List<String>> models = new LinkedHashMap<>();
        models.put(name(), LlavaSizes.NAMES);
        models.put(INTERLEAVE_MODEL, List.of("tiny"));
        return models;
    }

    @Override
    public String tinySize(String model, String size) {
        return model.equals(INTERLEAVE_MODEL) && size.equals("tiny") ? LlavaSizes.INTERLEAVE : size;
    }

    private static final String INTERLEAVE_MODEL = "llava-interleave";
    @Override public String moduleName(String checkpointKey) { return LlavaKeyLayout.toModuleName(checkpointKey); }
    @Override public boolean isVisionTower(String parameterName) { return parameterName.startsWith(VISION_TOWER); }
    @Override public boolean isProjector(String parameterName) { return parameterName.startsWith(PROJECTOR); }
    @Override public List<String> defaultLoraTargets() { return LORA_TARGETS; }
    @Override public List<String> loraScope() { return LORA_SCOPE; }

    @Override
    public String checkpointKey(String moduleName, boolean legacyLayout) {
        return (legacyLayout ? LlavaKeyLayout.LEGACY : LlavaKeyLayout.CURRENT).toCheckpointKey(moduleName);
    }

    @Override
    public VisionLanguageModel build(JsonNode config, ParameterFactory factory) {
        return new LlavaForConditionalGeneration(factory, parse(config));
    }

    /** config.json as a {@link LlavaConfig}; a missing or null sub-config takes transformers' default. */
    static LlavaConfig parse(JsonNode config) {
        return ConfigJson.read(withoutNullSubConfigs(config), LlavaConfig.class);
    }

    /**
     * config.json without a {@code text_config} or {@code vision_config} that is null, so that the config class's
     * default applies to it as in transformers; the tree itself when there is none.
     */
    protected static JsonNode withoutNullSubConfigs(JsonNode config) {
        if (!config.isObject() || !(config.path(TEXT_CONFIG).isNull() || config.path(VISION_CONFIG).isNull())) return config;
        com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) config).deepCopy();
        if (copy.path(TEXT_CONFIG).isNull()) copy.remove(TEXT_CONFIG);
        if (copy.path(VISION_CONFIG).isNull()) copy.remove(VISION_CONFIG);
        return copy;
    }

    @Override
    public List<String> defaultedKeys(JsonNode config) {
        List<String> out = new java.util.ArrayList<>();
        if (!config.hasNonNull(TEXT_CONFIG)) out.add(TEXT_CONFIG + " (transformers' LlamaConfig defaults: Llama-2-7B shapes)");
        if (!config.hasNonNull(VISION_CONFIG)) out.add(VISION_CONFIG + " (LLaVA-1.5's CLIP ViT-L/14-336 shapes)");
        return out;
    }

    @Override
    public VlmProcessor processor(Path folder, JsonNode json, TextTokenizer tokenizer, long endOfSequenceId)
            throws IOException {
        Path file = folder.resolve(PreprocessorConfig.FILE_NAME);
        if (!Files.isRegularFile(file)) throw new ModelLoadException(file + ": not found (the image processor's settings)");
        LlavaConfig config = parse(json);
        return new VlmProcessor(tokenizer, new FixedImagePreprocessor(new ImageProcessor(PreprocessorConfig.read(file)),
                config.featuresPerImage()), ChatTemplateFiles.load(folder), config.imageTokenIndex, endOfSequenceId,
                config.textConfig.maxPositionEmbeddings);
    }

    @Override
    public void writeTiny(Path folder, String size, long seed, boolean legacyLayout) throws IOException {
        Files.createDirectories(folder);
        boolean interleave = LlavaSizes.isInterleave(size);
        SpecialSet specials = interleave ? WordLevelTokenizerWriter.CHATML : WordLevelTokenizerWriter.LLAMA;
        List<String> words = WordLevelTokenizerWriter.defaultVocabulary();
        int vocabSize = specials.tokens().size() + words.size();
        int image = specials.id(WordLevelTokenizerWriter.IMAGE);
        LlavaConfig config = interleave
                ? LlavaSizes.interleave(vocabSize, image, specials.id("<|endoftext|>"), specials.id("<|im_end|>"), specials.id("<|endoftext|>"))
                : LlavaSizes.config(size, vocabSize, image, specials.id(specials.bos()), specials.id(specials.eos()), specials.id(specials.pad()));
        writeTinyFiles(folder, config, specials, words, seed, legacyLayout);
    }

    /**
     * A tiny checkpoint's files for {@code config}: seeded random weights of the family's model, config.json, a
     * word-level tokenizer of {@code specials} and {@code words} (the config's vocabulary), and the processor files.
     */
    protected final void writeTinyFiles(Path folder, LlavaConfig config, SpecialSet specials, List<String> words, long seed,
                                        boolean legacyLayout) throws IOException {
        JsonNode json = Json.MAPPER.valueToTree(config);
        try (PointerScope scope = new PointerScope(); VisionLanguageModel model = build(json, ParameterFactory.cpuFloat32())) {
            writeRandomWeights(folder, model.module(), seed, legacyLayout);
        }
        writeJson(folder.resolve("config.json"), json);
        int written = WordLevelTokenizerWriter.write(folder, specials, words, config.textConfig.maxPositionEmbeddings);
        if (written != config.textConfig.vocabSize) {
            throw new IllegalStateException("tokenizer has " + written + " tokens, config says " + config.textConfig.vocabSize);
        }
        writeProcessorFiles(folder, config);
    }

    /**
     * LLaVA-1.5-shaped configs get Llama's special tokens ({@code <s>}, {@code </s>}, {@code <image>} at
     * image_token_index, {@code <pad>}) and LLaVA-1.5's template; Qwen2-based ones (LLaVA-NeXT-Interleave) ChatML's
     * tokens at Qwen's ids (151643.., or the config's bos/eos) and a ChatML template.
     */
    @Override
    public void writeRandom(Path folder, JsonNode json, ScalarType dtype, long seed) throws IOException {
        LlavaConfig config = config(json);
        config.validate();
        Files.createDirectories(folder);
        RandomCheckpoint.writeWeights(folder, this, json, dtype, seed);
        com.fasterxml.jackson.databind.node.ObjectNode written = ((com.fasterxml.jackson.databind.node.ObjectNode) json).deepCopy();
        written.put("torch_dtype", RandomCheckpoint.torchDtype(dtype));
        writeJson(folder.resolve("config.json"), written);
        SpecialSet specials = specialTokens(config);
        Map<String, Integer> ids = specialTokenIds(config);
        WordLevelTokenizerWriter.writeSized(folder, specials, ids, config.textConfig.vocabSize, config.textConfig.maxPositionEmbeddings);
        if (config.padTokenId == null) config.padTokenId = ids.get(specials.pad());
        writeProcessorFiles(folder, config);
    }

    /** config.json as this family's config class. */
    protected LlavaConfig config(JsonNode json) {
        return parse(json);
    }

    /** The special tokens of a tokenizer for {@code config}: ChatML for a Qwen2 decoder, else Llama's. */
    protected SpecialSet specialTokens(LlavaConfig config) {
        return config.textConfig instanceof Qwen2Config ? WordLevelTokenizerWriter.CHATML : WordLevelTokenizerWriter.LLAMA;
    }

    /** Where the special tokens sit in a real checkpoint of {@code config}'s vocabulary. */
    protected Map<String, Integer> specialTokenIds(LlavaConfig config) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        ids.put(WordLevelTokenizerWriter.IMAGE, config.imageTokenIndex);
        if (config.textConfig instanceof Qwen2Config) {
            int endOfText = bos(config.textConfig) != null ? bos(config.textConfig) : QWEN_END_OF_TEXT;
            ids.put("<|endoftext|>", endOfText);
            ids.put("<|im_start|>", endOfText + 1);
            ids.put("<|im_end|>", eos(config.textConfig) != null ? eos(config.textConfig) : endOfText + 2);
        } else {
            ids.put(WordLevelTokenizerWriter.BOS, bos(config.textConfig));
            ids.put(WordLevelTokenizerWriter.EOS, eos(config.textConfig));
            ids.put(WordLevelTokenizerWriter.PAD, config.padTokenId != null ? config.padTokenId : config.imageTokenIndex + 1);
        }
        return ids;
    }

    /** Qwen's {@code <|endoftext|>}, followed by {@code <|im_start|>} and {@code <|im_end|>}. */
    private static final int QWEN_END_OF_TEXT = 151643;

    protected static Integer bos(DecoderConfig text) {
        return text instanceof Qwen2Config qwen2 ? qwen2.bosTokenId : ((LlamaConfig) text).bosTokenId;
    }

    protected static Integer eos(DecoderConfig text) {
        return text instanceof Qwen2Config qwen2 ? qwen2.eosTokenId : ((LlamaConfig) text).eosTokenId;
    }

    /**
     * The image processor's settings for the tower (CLIP: shortest-edge resize and centre crop; SigLIP: exact size,
     * mean and std 0.5), the chat template for the decoder (LLaVA-1.5's or ChatML) and generation_config.json.
     */
    protected void writeProcessorFiles(Path folder, LlavaConfig config) throws IOException {
        int image = config.visionConfig.imageSize;
        boolean siglip = config.visionConfig instanceof SiglipVisionConfig;
        (siglip ? PreprocessorConfig.siglipBuilder().size(ImageSize.exact(image, image))
                : PreprocessorConfig.builder().size(ImageSize.shortestEdge(image)).cropSize(ImageSize.exact(image, image)))
                .build().write(folder.resolve(PreprocessorConfig.FILE_NAME));
        String template = config.textConfig instanceof Qwen2Config ? CHATML_TEMPLATE : JINJA_TEMPLATE;
        writeJson(folder.resolve("chat_template.json"), Json.MAPPER.createObjectNode().put("chat_template", template));
        com.fasterxml.jackson.databind.node.ObjectNode generation = Json.MAPPER.createObjectNode();
        putId(generation, "bos_token_id", bos(config.textConfig));
        putId(generation, "eos_token_id", eos(config.textConfig));
        putId(generation, "pad_token_id", config.padTokenId);
        writeJson(folder.resolve("generation_config.json"), generation);
    }

    private static void putId(com.fasterxml.jackson.databind.node.ObjectNode node, String key, Integer id) {
        if (id != null) node.put(key, id);
    }

    /** Fills {@code model} with seeded random values and writes it as {@code model.safetensors} in either key layout. */
    protected final void writeRandomWeights(Path folder, Module model, long seed, boolean legacyLayout) throws IOException {
        RandomInit.apply(model, seed, 0.02);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.namedParameters().forEach((name, t) -> tensors.put(checkpointKey(name, legacyLayout), t));
        SafetensorsCheckpointWriter.writeSharded(folder, tensors, Long.MAX_VALUE);
    }

    /** Writes a JSON file of a checkpoint folder, pretty-printed as transformers writes them. */
    protected static void writeJson(Path file, JsonNode node) throws IOException {
        AtomicFiles.write(file, Json.PRETTY.writeValueAsBytes(node));
    }
}
