package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.nn.Activation;

/**
 * transformers' {@code Qwen2VLVisionConfig}, the {@code vision_config} of a {@code qwen2_vl} checkpoint: field names
 * and class defaults as transformers has them (the defaults describe Qwen2-VL-7B's tower, whose merger projects to
 * the 3584-wide text model). Early checkpoints spell {@code in_channels} as {@code in_chans}; both are read.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Qwen2VLVisionConfig {
    @JsonProperty("depth") public int depth = 32;
    @JsonProperty("embed_dim") public int embedDim = 1280;
    /** The width of the text model the merger projects to. */
    @JsonProperty("hidden_size") public int hiddenSize = 3584;
    @JsonProperty("hidden_act") public String hiddenAct = "quick_gelu";
    @JsonProperty("mlp_ratio") public double mlpRatio = 4;
    @JsonProperty("num_heads") public int numHeads = 16;
    @JsonProperty("in_channels") @JsonAlias("in_chans") public int inChannels = 3;
    @JsonProperty("patch_size") public int patchSize = 14;
    @JsonProperty("spatial_merge_size") public int spatialMergeSize = 2;
    @JsonProperty("temporal_patch_size") public int temporalPatchSize = 2;
    @JsonProperty("initializer_range") public double initializerRange = 0.02;

    /** The config a {@code vision_config} object holds, checked; errors name the key as {@code where.key}. */
    public static Qwen2VLVisionConfig fromJson(String where, JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException(where + " must be an object, got " + node);
        Qwen2VLVisionConfig config;
        try {
            config = ConfigJson.read(node, Qwen2VLVisionConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "." + e.getMessage(), e);
        }
        config.validate(where);
        return config;
    }

    /** A tower of these sizes, the other settings at their defaults. */
    public static Qwen2VLVisionConfig of(int depth, int embedDim, int numHeads, int hiddenSize, int patchSize) {
        Qwen2VLVisionConfig c = new Qwen2VLVisionConfig();
        c.depth = depth;
        c.embedDim = embedDim;
        c.numHeads = numHeads;
        c.hiddenSize = hiddenSize;
        c.patchSize = patchSize;
        return c;
    }

    /** Width of one attention head. */
    public int headDim() {
        return embedDim / numHeads;
    }

    /** Width of a block's MLP: {@code int(embed_dim · mlp_ratio)} as transformers truncates it. */
    public int mlpHiddenDim() {
        return (int) (embedDim * mlpRatio);
    }

    /** Values in one patch row of pixel values: channels · frames · patch². */
    public int patchValues() {
        return inChannels * temporalPatchSize * patchSize * patchSize;
    }

    /** Width of a merge window's concatenated patches, the merger's input: {@code embed_dim · merge²}. */
    public int mergedDim() {
        return embedDim * spatialMergeSize * spatialMergeSize;
    }

    /**
     * Checks every number the tower relies on, naming the offending key as {@code where.key}: ranges, heads dividing
     * the width and a head width divisible by 4 (two axes of rotary pairs).
     */
    public void validate(String where) {
        ConfigValues.range(where + ".depth", depth, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range(where + ".embed_dim", embedDim, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".num_heads", numHeads, 1, Math.min(embedDim, ConfigValues.MAX_HEADS));
        ConfigValues.divisible(where + ".embed_dim", embedDim, "num_heads", numHeads);
        if (headDim() % 4 != 0) {
            throw new IllegalArgumentException(where + ".embed_dim / num_heads (" + headDim()
                    + ") must be divisible by 4: the rotary embedding splits each head between the height and width axes");
        }
        ConfigValues.openRange(where + ".mlp_ratio", mlpRatio, 0, ConfigValues.MAX_INTERMEDIATE_SIZE);
        if (mlpHiddenDim() < 1 || mlpHiddenDim() > ConfigValues.MAX_INTERMEDIATE_SIZE) {
            throw new IllegalArgumentException(where + ".mlp_ratio (" + mlpRatio + ") makes an MLP of " + mlpHiddenDim()
                    + " units; embed_dim · mlp_ratio must be in [1, " + ConfigValues.MAX_INTERMEDIATE_SIZE + "]");
        }
        ConfigValues.range(where + ".in_channels", inChannels, 1, 64);
        ConfigValues.range(where + ".patch_size", patchSize, 1, ConfigValues.MAX_IMAGE_SIZE);
        ConfigValues.range(where + ".spatial_merge_size", spatialMergeSize, 1, 64);
        ConfigValues.range(where + ".temporal_patch_size", temporalPatchSize, 1, 64);
        ConfigValues.openRange(where + ".initializer_range", initializerRange, 0, Double.POSITIVE_INFINITY);
        Activation.fromConfig(where + ".hidden_act", hiddenAct);
    }
}
