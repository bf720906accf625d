package org.vco4j.model.siglip;

import org.vco4j.model.vit.VitEncoderSpec;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.nn.Activation;

/**
 * {@code SiglipVisionConfig}: field names and class defaults as in Hugging Face transformers
 * ({@code configuration_siglip.py}).
 *
 * <p>{@code vision_use_head} defaults to true as in transformers, but the multihead-attention pooling head is
 * not implemented: {@link #validate} refuses it. The LLaVA hub configurations (interleave, onevision) set it
 * to false.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SiglipVisionConfig {
    @JsonProperty("model_type") public String modelType = "siglip_vision_model";
    @JsonProperty("hidden_size") public int hiddenSize = 768;
    @JsonProperty("intermediate_size") public int intermediateSize = 3072;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 12;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 12;
    @JsonProperty("num_channels") public int numChannels = 3;
    @JsonProperty("image_size") public int imageSize = 224;
    @JsonProperty("patch_size") public int patchSize = 16;
    @JsonProperty("hidden_act") public String hiddenAct = "gelu_pytorch_tanh";
    @JsonProperty("layer_norm_eps") public double layerNormEps = 1e-6;
    @JsonProperty("attention_dropout") public double attentionDropout = 0.0;
    @JsonProperty("vision_use_head") public boolean visionUseHead = true;

    /**
     * Binds a {@code vision_config} object with the project's strict reader (no float-to-int or string-to-number
     * coercion) and validates it; errors name the key as {@code where.key}.
     */
    public static SiglipVisionConfig fromJson(String where, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object, got " + node);
        }
        SiglipVisionConfig config;
        try {
            config = ConfigJson.read(node, SiglipVisionConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage(), e);
        }
        config.validate(where);
        return config;
    }

    /** Patches per side, {@code image_size // patch_size}. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** Patches per side squared: the tokens per image (SigLIP has no class token). */
    public int numPatches() {
        return patchesPerSide() * patchesPerSide();
    }

    /**
     * Checks every number the tower relies on (ranges, divisibility) and refuses what it does not implement,
     * naming the offending key as {@code where.key}.
     */
    public void validate(String where) {
        if (modelType != null && !modelType.startsWith("siglip")) {
            throw new IllegalArgumentException(where + ".model_type '" + modelType + "' is not a SigLIP vision tower "
                    + "(expected siglip_vision_model)");
        }
        ConfigValues.range(where + ".hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".intermediate_size", intermediateSize, 1, ConfigValues.MAX_INTERMEDIATE_SIZE);
        ConfigValues.range(where + ".num_hidden_layers", numHiddenLayers, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range(where + ".num_attention_heads", numAttentionHeads, 1, Math.min(hiddenSize, ConfigValues.MAX_HEADS));
        ConfigValues.divisible(where + ".hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        ConfigValues.range(where + ".num_channels", numChannels, 1, 64);
        ConfigValues.range(where + ".image_size", imageSize, 1, ConfigValues.MAX_IMAGE_SIZE);
        ConfigValues.range(where + ".patch_size", patchSize, 1, imageSize);
        // No divisibility check: transformers floors image_size / patch_size (a Conv2d without padding drops
        // the remainder), and the LLaVA towers rely on it: 384 / 14 = 27 patches, the last 6 pixels unused.
        ConfigValues.openRange(where + ".layer_norm_eps", layerNormEps, 0, 1);
        ConfigValues.required(where + ".hidden_act", hiddenAct);
        Activation.fromConfig(where + ".hidden_act", hiddenAct);
        if (!(attentionDropout >= 0 && attentionDropout < 1)) {
            throw new IllegalArgumentException(where + ".attention_dropout must be in [0, 1), got " + attentionDropout);
        }
        if (visionUseHead) {
            throw new IllegalArgumentException(where + ".vision_use_head: true is not supported (the multihead "
                    + "attention pooling head is not implemented); the LLaVA towers set it to false");
        }
    }

    /** A tower of these sizes without the pooling head (the other settings at their defaults). */
    public static SiglipVisionConfig of(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                                        int imageSize, int patchSize) {
        SiglipVisionConfig c = new SiglipVisionConfig();
        c.hiddenSize = hiddenSize;
        c.intermediateSize = intermediateSize;
        c.numHiddenLayers = numHiddenLayers;
        c.numAttentionHeads = numAttentionHeads;
        c.imageSize = imageSize;
        c.patchSize = patchSize;
        c.visionUseHead = false;
        return c;
    }

    /**
     * The tower of llava-interleave-qwen-0.5b-hf and llava-onevision-qwen2-0.5b-ov-hf: SigLIP-so400m-patch14-384
     * with its last layer dropped (26 of 27).
     */
    public static SiglipVisionConfig so400mLlava() {
        return of(1152, 4304, 26, 16, 384, 14);
    }

    /** The encoder's numbers, shared with the other ViT towers. */
    public VitEncoderSpec encoderSpec() {
        return new VitEncoderSpec(hiddenSize, numAttentionHeads, intermediateSize, hiddenAct, layerNormEps, numHiddenLayers);
    }
}
