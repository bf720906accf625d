package org.vco4j.model.clip;

import org.vco4j.model.vit.VitEncoderSpec;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.vco4j.model.ConfigValues;

/** {@code CLIPVisionConfig}: field names and defaults as in Hugging Face transformers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ClipVisionConfig {
    @JsonProperty("model_type") public String modelType = "clip_vision_model";
    @JsonProperty("hidden_size") public int hiddenSize = 768;
    @JsonProperty("intermediate_size") public int intermediateSize = 3072;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 12;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 12;
    @JsonProperty("num_channels") public int numChannels = 3;
    @JsonProperty("image_size") public int imageSize = 224;
    @JsonProperty("patch_size") public int patchSize = 32;
    @JsonProperty("hidden_act") public String hiddenAct = "quick_gelu";
    @JsonProperty("layer_norm_eps") public double layerNormEps = 1e-5;
    @JsonProperty("projection_dim") public Integer projectionDim = 512;

    /** Patches per side times patches per side. */
    public int numPatches() {
        return (imageSize / patchSize) * (imageSize / patchSize);
    }

    /**
     * Checks every number the tower relies on (ranges, divisibility), naming the offending key as
     * {@code where.key}.
     */
    public void validate(String where) {
        ConfigValues.range(where + ".hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".intermediate_size", intermediateSize, 1, ConfigValues.MAX_INTERMEDIATE_SIZE);
        ConfigValues.range(where + ".num_hidden_layers", numHiddenLayers, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range(where + ".num_attention_heads", numAttentionHeads, 1, Math.min(hiddenSize, ConfigValues.MAX_HEADS));
        ConfigValues.divisible(where + ".hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        ConfigValues.range(where + ".num_channels", numChannels, 1, 64);
        ConfigValues.range(where + ".image_size", imageSize, 1, ConfigValues.MAX_IMAGE_SIZE);
        ConfigValues.range(where + ".patch_size", patchSize, 1, imageSize);
        ConfigValues.divisible(where + ".image_size", imageSize, "patch_size", patchSize);
        ConfigValues.openRange(where + ".layer_norm_eps", layerNormEps, 0, 1);
        ConfigValues.required(where + ".hidden_act", hiddenAct);
        if (projectionDim != null) ConfigValues.range(where + ".projection_dim", projectionDim, 1, ConfigValues.MAX_HIDDEN_SIZE);
    }

    /**
     * The tower transformers' {@code LlavaConfig} assumes when config.json has no {@code vision_config}: CLIP
     * ViT-L/14 at 336 pixels, LLaVA-1.5's tower.
     */
    public static ClipVisionConfig llavaDefault() {
        return of(1024, 4096, 24, 16, 336, 14, 768);
    }

    /** A tower of these sizes (the other settings at their defaults). */
    public static ClipVisionConfig of(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                                      int imageSize, int patchSize, Integer projectionDim) {
        ClipVisionConfig c = new ClipVisionConfig();
        c.hiddenSize = hiddenSize;
        c.intermediateSize = intermediateSize;
        c.numHiddenLayers = numHiddenLayers;
        c.numAttentionHeads = numAttentionHeads;
        c.imageSize = imageSize;
        c.patchSize = patchSize;
        c.projectionDim = projectionDim;
        return c;
    }

    /** The encoder's numbers, shared with the other ViT towers. */
    public VitEncoderSpec encoderSpec() {
        return new VitEncoderSpec(hiddenSize, numAttentionHeads, intermediateSize, hiddenAct, layerNormEps, numHiddenLayers);
    }
}
