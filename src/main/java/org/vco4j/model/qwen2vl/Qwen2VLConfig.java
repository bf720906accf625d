package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.qwen2.Qwen2Config;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code Qwen2VLConfig} ({@code model_type} "qwen2_vl") in both of the forms its config.json takes:
 * <ul>
 *   <li>the hub's original one (transformers 4.41–4.51): the text model's keys at the top level, {@code vision_config}
 *       nested, {@code "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]}};</li>
 *   <li>the re-saved one (transformers ≥ 4.52): the text model's keys in a nested {@code text_config}
 *       ({@code model_type} "qwen2_vl_text"), the rope settings as {@code rope_scaling} with {@code rope_type}
 *       "default" (or {@code rope_parameters}, which also carries {@code rope_theta}) and the same
 *       {@code mrope_section}.</li>
 * </ul>
 * Both give the same config ({@link #toJson} writes the original form). Absent text keys take transformers' class
 * defaults (Qwen2-VL-72B's shapes); the M-RoPE {@code mrope_section} has no default (transformers cannot build the model
 * without it) and the {@code vision_config} none that fits a smaller text model, so both are required. The text model
 * itself is a {@link Qwen2Config} decoder; only its rotary embedding is multimodal.
 */
public final class Qwen2VLConfig {
    /** The model_type this class reads. */
    public static final String MODEL_TYPE = "qwen2_vl";
    public static final String ARCHITECTURE = "Qwen2VLForConditionalGeneration";
    private static final String TEXT_CONFIG = "text_config";
    private static final String VISION_CONFIG = "vision_config";
    private static final List<String> ROPE_KEYS = List.of("rope_scaling", "rope_parameters");
    /** transformers' Qwen2VLConfig / Qwen2VLTextConfig defaults for the text keys (Qwen2-VL-72B). */
    private static final Map<String, Object> TEXT_DEFAULTS = Map.ofEntries(
            Map.entry("vocab_size", 152064), Map.entry("hidden_size", 8192), Map.entry("intermediate_size", 29568),
            Map.entry("num_hidden_layers", 80), Map.entry("num_attention_heads", 64), Map.entry("num_key_value_heads", 8),
            Map.entry("hidden_act", "silu"), Map.entry("max_position_embeddings", 32768), Map.entry("rms_norm_eps", 1e-5),
            Map.entry("rope_theta", 1000000.0), Map.entry("use_sliding_window", false), Map.entry("sliding_window", 4096),
            Map.entry("max_window_layers", 80), Map.entry("attention_dropout", 0.0));

    /** The decoder's keys (its {@code rope_scaling} always null: the M-RoPE settings are {@link #mropeSection}). */
    public final Qwen2Config text;
    public final Qwen2VLVisionConfig vision;
    /** Frequency slots of the temporal, height and width positions; they add up to half the head width. */
    public final int[] mropeSection;
    public final boolean tieWordEmbeddings;
    public final int imageTokenId;
    public final int videoTokenId;
    public final int visionStartTokenId;
    public final int visionEndTokenId;
    public final String torchDtype;
    /** Where config.json holds the mrope_section, for errors (not part of the config's identity). */
    private String mropeSectionKey = "rope_scaling.mrope_section";

    public Qwen2VLConfig(Qwen2Config text, Qwen2VLVisionConfig vision, int[] mropeSection, boolean tieWordEmbeddings,
                         int imageTokenId, int videoTokenId, int visionStartTokenId, int visionEndTokenId, String torchDtype) {
        this.text = text;
        this.vision = vision;
        this.mropeSection = mropeSection.clone();
        this.tieWordEmbeddings = tieWordEmbeddings;
        this.imageTokenId = imageTokenId;
        this.videoTokenId = videoTokenId;
        this.visionStartTokenId = visionStartTokenId;
        this.visionEndTokenId = visionEndTokenId;
        this.torchDtype = torchDtype;
    }

    /**
     * A config.json tree in either form, checked. Errors are {@link IllegalArgumentException}s naming the key as it is
     * spelled in that form ({@code hidden_size} or {@code text_config.hidden_size}, {@code rope_scaling.mrope_section}).
     */
    public static Qwen2VLConfig fromJson(JsonNode json) {
        if (json == null || !json.isObject()) throw new IllegalArgumentException("config must be a JSON object");
        String modelType = json.path("model_type").asText(null);
        if (!MODEL_TYPE.equals(modelType)) {
            throw new IllegalArgumentException("model_type must be \"" + MODEL_TYPE + "\", got " + json.get("model_type"));
        }
        JsonNode nested = json.get(TEXT_CONFIG);
        boolean isNested = nested != null && !nested.isNull();
        if (isNested && !nested.isObject()) throw new IllegalArgumentException("text_config must be an object, got " + nested);
        JsonNode textNode = isNested ? nested : json;
        String prefix = isNested ? TEXT_CONFIG + "." : "";

        // The rope settings: in the text section, or (re-saved files) at the top level.
        String ropeKey = null;
        JsonNode rope = null;
        for (JsonNode section : isNested ? List.of(textNode, json) : List.of(json)) {
            for (String key : ROPE_KEYS) {
                JsonNode r = section.get(key);
                if (r != null && !r.isNull() && rope == null) {
                    rope = r;
                    ropeKey = (section == textNode ? prefix : "") + key;
                }
            }
        }
        if (rope == null) {
            throw new IllegalArgumentException("rope_scaling is missing: Qwen2-VL needs its M-RoPE settings, "
                    + "{\"type\": \"mrope\", \"mrope_section\": [t, h, w]} (or rope_scaling / rope_parameters with rope_type)");
        }
        int[] section = mropeSection(ropeKey, rope);

        ObjectNode textTree = Json.MAPPER.createObjectNode();
        TEXT_DEFAULTS.forEach((key, value) -> textTree.set(key, Json.MAPPER.valueToTree(value)));
        for (Iterator<Map.Entry<String, JsonNode>> it = textNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(VISION_CONFIG) || field.getKey().equals(TEXT_CONFIG) || ROPE_KEYS.contains(field.getKey())) {
                continue;
            }
            textTree.set(field.getKey(), field.getValue());
        }
        if (!textNode.has("rope_theta") && rope.has("rope_theta")) textTree.set("rope_theta", rope.get("rope_theta"));
        for (String key : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
            if (!textTree.has(key) && json.has(key)) textTree.set(key, json.get(key));
        }
        textTree.put("model_type", "qwen2");
        Qwen2Config text;
        try {
            text = ConfigJson.read(textTree, Qwen2Config.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
        text.ropeScaling = null;

        JsonNode visionNode = json.get(VISION_CONFIG);
        if (visionNode == null || visionNode.isNull()) {
            throw new IllegalArgumentException("vision_config is missing: Qwen2-VL needs its vision tower's settings");
        }
        Qwen2VLVisionConfig vision;
        try {
            vision = ConfigJson.read(visionNode, Qwen2VLVisionConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VISION_CONFIG + "." + e.getMessage(), e);
        }
        boolean tie = bool(json, textNode, prefix, "tie_word_embeddings", false);
        Qwen2VLConfig config = new Qwen2VLConfig(text, vision, section, tie,
                id(json, textNode, prefix, "image_token_id", 151655), id(json, textNode, prefix, "video_token_id", 151656),
                id(json, textNode, prefix, "vision_start_token_id", 151652), id(json, textNode, prefix, "vision_end_token_id", 151653),
                json.path("torch_dtype").asText(textNode.path("torch_dtype").asText(null)));
        config.mropeSectionKey = ropeKey + ".mrope_section";
        config.validate(prefix);
        return config;
    }

    private static int[] mropeSection(String key, JsonNode rope) {
        if (!rope.isObject()) throw new IllegalArgumentException(key + " must be an object, got " + rope);
        JsonNode type = rope.has("rope_type") ? rope.get("rope_type") : rope.get("type");
        String typeKey = key + (rope.has("rope_type") ? ".rope_type" : ".type");
        if (type != null && !(type.isTextual() && List.of("mrope", "default").contains(type.textValue()))) {
            throw new IllegalArgumentException(typeKey + " " + type + " is not supported: Qwen2-VL's rotary embedding is "
                    + "\"mrope\" (\"default\" in re-saved configs) with an mrope_section");
        }
        JsonNode section = rope.get("mrope_section");
        if (section == null || section.isNull()) {
            throw new IllegalArgumentException(key + ".mrope_section is missing: M-RoPE needs the frequency slots of the "
                    + "temporal, height and width positions, e.g. [16, 24, 24]");
        }
        if (!section.isArray() || section.size() != 3) {
            throw new IllegalArgumentException(key + ".mrope_section must be a list of three integers, got " + section);
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            JsonNode v = section.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
                throw new IllegalArgumentException(key + ".mrope_section must be a list of three positive integers, got " + section);
            }
            out[i] = v.intValue();
        }
        return out;
    }

    /** A top-level key, else the text section's (re-saved files may put it in either), else the default. */
    private static int id(JsonNode json, JsonNode text, String prefix, String key, int fallback) {
        JsonNode v = json.has(key) ? json.get(key) : text.get(key);
        String where = json.has(key) ? key : prefix + key;
        if (v == null || v.isNull()) return fallback;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new IllegalArgumentException(where + " must be an integer, got " + v);
        return v.intValue();
    }

    private static boolean bool(JsonNode json, JsonNode text, String prefix, String key, boolean fallback) {
        JsonNode v = json.has(key) ? json.get(key) : text.get(key);
        String where = json.has(key) ? key : prefix + key;
        if (v == null || v.isNull()) return fallback;
        if (!v.isBoolean()) throw new IllegalArgumentException(where + " must be true or false, got " + v);
        return v.booleanValue();
    }

    /**
     * Checks every number the model relies on; text keys are named with {@code textPrefix} ("" for the original form,
     * "text_config." for the nested one).
     */
    public void validate(String textPrefix) {
        String marker = "\u0000text";
        try {
            text.validate(marker);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace(marker + ".", textPrefix).replace(marker, "text"), e);
        }
        vision.validate(VISION_CONFIG);
        int half = text.spec().headDimension() / 2;
        if (Arrays.stream(mropeSection).sum() != half) {
            throw new IllegalArgumentException(mropeSectionKey + " " + Arrays.toString(mropeSection) + " must add up to "
                    + "half the head dimension (" + half + " = " + textPrefix + "hidden_size / num_attention_heads / 2)");
        }
        if (vision.hiddenSize != text.hiddenSize) {
            throw new IllegalArgumentException("vision_config.hidden_size (" + vision.hiddenSize + ") must equal " + textPrefix
                    + "hidden_size (" + text.hiddenSize + "): the patch merger projects into the text model's width");
        }
        ConfigValues.tokenId("image_token_id", imageTokenId, text.vocabSize, textPrefix + "vocab_size");
        ConfigValues.tokenId("video_token_id", videoTokenId, text.vocabSize, textPrefix + "vocab_size");
        ConfigValues.tokenId("vision_start_token_id", visionStartTokenId, text.vocabSize, textPrefix + "vocab_size");
        ConfigValues.tokenId("vision_end_token_id", visionEndTokenId, text.vocabSize, textPrefix + "vocab_size");
    }

    /** config.json in the hub's original form (text keys at the top level, {@code rope_scaling} type "mrope"). */
    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.putArray("architectures").add(ARCHITECTURE);
        out.put("model_type", MODEL_TYPE);
        ObjectNode textKeys = Json.MAPPER.valueToTree(text);
        textKeys.remove("model_type");
        textKeys.remove("rope_scaling");
        textKeys.remove("tie_word_embeddings");
        out.setAll(textKeys);
        out.put("image_token_id", imageTokenId);
        out.put("video_token_id", videoTokenId);
        out.put("vision_start_token_id", visionStartTokenId);
        out.put("vision_end_token_id", visionEndTokenId);
        out.put("tie_word_embeddings", tieWordEmbeddings);
        if (torchDtype != null) out.put("torch_dtype", torchDtype);
        ObjectNode rope = out.putObject("rope_scaling");
        rope.put("type", "mrope");
        ArrayNode section = rope.putArray("mrope_section");
        for (int s : mropeSection) section.add(s);
        out.set(VISION_CONFIG, Json.MAPPER.valueToTree(vision));
        return out;
    }

    /** Configs are equal when they describe the same model ({@link #toJson} equal), whichever form they were read from. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Qwen2VLConfig o && toJson().equals(o.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
