package org.vco4j.model.clip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

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

    /** Checks the shape arithmetic the model relies on, naming the offending field. */
    public void validate(String where) {
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(where + ".hidden_size (" + hiddenSize
                    + ") must be divisible by num_attention_heads (" + numAttentionHeads + ")");
        }
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(where + ".image_size (" + imageSize
                    + ") must be a multiple of patch_size (" + patchSize + ")");
        }
        if (numHiddenLayers < 1) throw new IllegalArgumentException(where + ".num_hidden_layers must be ≥ 1");
    }
}
