package org.vco4j.model.vit;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.vco4j.model.ConfigValues;

/**
 * The keys every ViT tower's config.json section shares (CLIP's and SigLIP's {@code vision_config}), with the
 * checks of their numbers. A tower's config sets its own class defaults in its constructor and adds its keys.
 */
public abstract class VitConfig {
    @JsonProperty("model_type") public String modelType;
    @JsonProperty("hidden_size") public int hiddenSize = 768;
    @JsonProperty("intermediate_size") public int intermediateSize = 3072;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 12;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 12;
    @JsonProperty("num_channels") public int numChannels = 3;
    @JsonProperty("image_size") public int imageSize = 224;
    @JsonProperty("patch_size") public int patchSize;
    @JsonProperty("hidden_act") public String hiddenAct;
    @JsonProperty("layer_norm_eps") public double layerNormEps;

    protected VitConfig(String modelType, int patchSize, String hiddenAct, double layerNormEps) {
        this.modelType = modelType;
        this.patchSize = patchSize;
        this.hiddenAct = hiddenAct;
        this.layerNormEps = layerNormEps;
    }

    /** Sets the sizes of the tower; returns this config. */
    protected final VitConfig sized(int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads,
                                    int imageSize, int patchSize) {
        this.hiddenSize = hiddenSize;
        this.intermediateSize = intermediateSize;
        this.numHiddenLayers = numHiddenLayers;
        this.numAttentionHeads = numAttentionHeads;
        this.imageSize = imageSize;
        this.patchSize = patchSize;
        return this;
    }

    /** Checks every number the tower relies on, naming the offending key as {@code where.key}. */
    public abstract void validate(String where);

    /** Tokens the tower outputs per image (its hidden states' sequence length), class token included if any. */
    public abstract int sequenceLength();

    /** Checks the shared numbers (ranges, heads dividing the width), naming the offending key as {@code where.key}. */
    protected final void validateEncoder(String where) {
        ConfigValues.range(where + ".hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".intermediate_size", intermediateSize, 1, ConfigValues.MAX_INTERMEDIATE_SIZE);
        ConfigValues.range(where + ".num_hidden_layers", numHiddenLayers, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range(where + ".num_attention_heads", numAttentionHeads, 1, Math.min(hiddenSize, ConfigValues.MAX_HEADS));
        ConfigValues.divisible(where + ".hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        ConfigValues.range(where + ".num_channels", numChannels, 1, 64);
        ConfigValues.range(where + ".image_size", imageSize, 1, ConfigValues.MAX_IMAGE_SIZE);
        ConfigValues.range(where + ".patch_size", patchSize, 1, imageSize);
        ConfigValues.openRange(where + ".layer_norm_eps", layerNormEps, 0, 1);
        ConfigValues.required(where + ".hidden_act", hiddenAct);
    }

    /** The encoder's numbers. */
    public final VitEncoderSpec encoderSpec() {
        return new VitEncoderSpec(hiddenSize, numAttentionHeads, intermediateSize, hiddenAct, layerNormEps, numHiddenLayers);
    }
}
