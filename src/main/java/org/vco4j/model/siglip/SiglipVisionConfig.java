package org.vco4j.model.siglip;

import org.vco4j.model.vit.VitConfig;
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
 * <p>{@code vision_use_head} defaults to true as in transformers. The LLaVA towers never read the
 * multihead-attention pooling head, so {@link #validate} (theirs) refuses it; the hub configurations (interleave,
 * onevision) set it to false. The image encoder builds the head and checks with {@link #validateWithHead}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SiglipVisionConfig extends VitConfig {
    @JsonProperty("attention_dropout") public double attentionDropout = 0.0;
    @JsonProperty("vision_use_head") public boolean visionUseHead = true;

    public SiglipVisionConfig() {
        super("siglip_vision_model", 16, "gelu_pytorch_tanh", 1e-6);
    }

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

    /** The patches (no class token). */
    @Override
    public int sequenceLength() {
        return numPatches();
    }

    /**
     * Checks every number the tower relies on (ranges, divisibility) and refuses what it does not implement,
     * naming the offending key as {@code where.key}.
     */
    @Override
    public void validate(String where) {
        validateWithHead(where);
        if (visionUseHead) {
            throw new IllegalArgumentException(where + ".vision_use_head: true is not supported (the multihead "
                    + "attention pooling head is not implemented); the LLaVA towers set it to false");
        }
    }

    /**
     * The checks of {@link #validate} except the refusal of {@code vision_use_head}: for the image encoder, which
     * builds the pooling head ({@link SiglipMultiheadAttentionPoolingHead}).
     */
    public void validateWithHead(String where) {
        if (modelType != null && !modelType.startsWith("siglip")) {
            throw new IllegalArgumentException(where + ".model_type '" + modelType + "' is not a SigLIP vision tower "
                    + "(expected siglip_vision_model)");
        }
        validateEncoder(where);
        // No divisibility check: transformers floors image_size / patch_size (a Conv2d without padding drops
        // the remainder), and the LLaVA towers rely on it: 384 / 14 = 27 patches, the last 6 pixels unused.
        Activation.fromConfig(where + ".hidden_act", hiddenAct);
        if (!(attentionDropout >= 0 && attentionDropout < 1)) {
            throw new IllegalArgumentException(where + ".attention_dropout must be in [0, 1), got " + attentionDropout);
        }
    }

    /** A tower of these sizes without the pooling head (the other settings at their defaults). */
    public static SiglipVisionConfig of(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                                        int imageSize, int patchSize) {
        SiglipVisionConfig c = new SiglipVisionConfig();
        c.sized(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, imageSize, patchSize);
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

}
