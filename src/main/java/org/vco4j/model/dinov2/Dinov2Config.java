package org.vco4j.model.dinov2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.nn.Activation;
import org.vco4j.model.vit.VitEncoderSpec;
import org.vco4j.model.vit.VitLayout;

/**
 * {@code Dinov2Config}: field names and class defaults as in Hugging Face transformers
 * ({@code configuration_dinov2.py}). Dropout and drop-path rates only matter in training and are ignored;
 * the backbone keys ({@code out_features}, {@code apply_layernorm}, ...) are not read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Dinov2Config {
    /** The {@code model_type} of config.json. */
    public static final String MODEL_TYPE = "dinov2";

    @JsonProperty("model_type") public String modelType = MODEL_TYPE;
    @JsonProperty("hidden_size") public int hiddenSize = 768;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 12;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 12;
    @JsonProperty("mlp_ratio") public double mlpRatio = 4;
    @JsonProperty("hidden_act") public String hiddenAct = "gelu";
    @JsonProperty("layer_norm_eps") public double layerNormEps = 1e-6;
    @JsonProperty("image_size") public int imageSize = 224;
    @JsonProperty("patch_size") public int patchSize = 14;
    @JsonProperty("num_channels") public int numChannels = 3;
    @JsonProperty("qkv_bias") public boolean qkvBias = true;
    @JsonProperty("layerscale_value") public double layerscaleValue = 1.0;
    @JsonProperty("use_swiglu_ffn") public boolean useSwigluFfn = false;
    @JsonProperty("use_mask_token") public boolean useMaskToken = true;

    /** Binds config.json strictly (no number coercions) and validates it; errors name the key. */
    public static Dinov2Config fromJson(JsonNode node) {
        Dinov2Config config = ConfigJson.read(node, Dinov2Config.class);
        config.validate();
        return config;
    }

    /** A model of these sizes (the other settings at their defaults). */
    public static Dinov2Config of(int hiddenSize, int numHiddenLayers, int numAttentionHeads, int imageSize, int patchSize) {
        Dinov2Config c = new Dinov2Config();
        c.hiddenSize = hiddenSize;
        c.numHiddenLayers = numHiddenLayers;
        c.numAttentionHeads = numAttentionHeads;
        c.imageSize = imageSize;
        c.patchSize = patchSize;
        return c;
    }

    /** Checks every number the model relies on and refuses what it does not implement, naming the key. */
    public void validate() {
        ConfigValues.range("hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range("num_hidden_layers", numHiddenLayers, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range("num_attention_heads", numAttentionHeads, 1, Math.min(hiddenSize, ConfigValues.MAX_HEADS));
        ConfigValues.divisible("hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        ConfigValues.range("num_channels", numChannels, 1, 64);
        ConfigValues.range("image_size", imageSize, 1, ConfigValues.MAX_IMAGE_SIZE);
        ConfigValues.range("patch_size", patchSize, 1, imageSize);
        ConfigValues.openRange("layer_norm_eps", layerNormEps, 0, 1);
        ConfigValues.openRange("mlp_ratio", mlpRatio, 0, 1024);
        ConfigValues.range("mlp_ratio × hidden_size", intermediateSize(), 1, ConfigValues.MAX_INTERMEDIATE_SIZE);
        Activation.fromConfig("hidden_act", hiddenAct);
        if (useSwigluFfn) {
            throw new IllegalArgumentException("use_swiglu_ffn: true (DINOv2 giant's SwiGLU MLP) is not supported");
        }
    }

    /** Patches per side of the pre-training resolution, whose learned position embeddings the checkpoint holds. */
    public int patchesPerSide() {
        return imageSize / patchSize;
    }

    /** The MLP width, {@code int(hidden_size * mlp_ratio)} as {@code Dinov2MLP} computes it. */
    public int intermediateSize() {
        return (int) (hiddenSize * mlpRatio);
    }

    /** The encoder's numbers, in DINOv2's layout (layer scale, {@code layer.N.attention.attention.query}). */
    public VitEncoderSpec encoderSpec() {
        return new VitEncoderSpec(hiddenSize, numAttentionHeads, intermediateSize(), hiddenAct, layerNormEps,
                numHiddenLayers, VitLayout.DINOV2, qkvBias);
    }
}
