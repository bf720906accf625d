package org.vco4j.model.clip;

import org.vco4j.model.vit.VitConfig;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.vco4j.model.ConfigValues;

/** {@code CLIPVisionConfig}: field names and defaults as in Hugging Face transformers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class ClipVisionConfig extends VitConfig {
    @JsonProperty("projection_dim") public Integer projectionDim = 512;

    public ClipVisionConfig() {
        super("clip_vision_model", 32, "quick_gelu", 1e-5);
    }

    /** Patches per side times patches per side. */
    public int numPatches() {
        return (imageSize / patchSize) * (imageSize / patchSize);
    }

    /** The patches and the class token in front. */
    @Override
    public int sequenceLength() {
        return numPatches() + 1;
    }

    /**
     * Checks every number the tower relies on (ranges, divisibility), naming the offending key as
     * {@code where.key}.
     */
    @Override
    public void validate(String where) {
        validateEncoder(where);
        ConfigValues.divisible(where + ".image_size", imageSize, "patch_size", patchSize);
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
        c.sized(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, imageSize, patchSize);
        c.projectionDim = projectionDim;
        return c;
    }

}
