package org.vco4j.model.llava.onevision;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.llava.LlavaConfig;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.siglip.SiglipVisionConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code LlavaOnevisionConfig}: LLaVA's keys with transformers' LLaVA-OneVision class defaults
 * ({@code image_token_index} 151646, {@code vision_feature_select_strategy} "full", {@code vision_feature_layer} -1,
 * Qwen2 text and SigLIP vision by default) and its own: {@code video_token_index}, {@code vision_aspect_ratio} and
 * {@code image_grid_pinpoints}.
 *
 * <p>One deliberate difference: without a {@code vision_config}, transformers builds a SigLIP with 14 attention heads,
 * which does not divide its width 1152 (no model can be built from it); here the default is the tower every
 * LLaVA-OneVision checkpoint has, SigLIP-so400m at 384 px without its last layer and head (16 heads).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class LlavaOnevisionConfig extends LlavaConfig {
    /** The model_type this class reads. */
    public static final String MODEL_TYPE = "llava_onevision";
    private static final Pattern ANYRES_MAX = Pattern.compile("anyres_max_([1-9]\\d{0,3})");

    @JsonProperty("video_token_index") @JsonAlias("video_token_id") public int videoTokenIndex = 151647;
    @JsonProperty("vision_aspect_ratio") public String visionAspectRatio = "anyres_max_9";
    @JsonProperty("image_grid_pinpoints") public List<List<Integer>> imageGridPinpoints = squareGrid(384, 6);

    public LlavaOnevisionConfig() {
        architectures = List.of("LlavaOnevisionForConditionalGeneration");
        modelType = MODEL_TYPE;
        imageTokenIndex = 151646;
        visionFeatureLayer = -1;
        visionFeatureSelectStrategy = "full";
        tieWordEmbeddings = false;
        textConfig = new Qwen2Config();
        visionConfig = SiglipVisionConfig.so400mLlava();
    }

    /**
     * Every [height, width] with height and width in {tile, 2 tile, ..., n tile}, height-major: for tile 384 and n 6,
     * transformers' default {@code image_grid_pinpoints} (the 36 resolutions from 384×384 to 2304×2304).
     */
    public static List<List<Integer>> squareGrid(int tile, int n) {
        List<List<Integer>> out = new ArrayList<>();
        for (int h = 1; h <= n; h++) {
            for (int w = 1; w <= n; w++) out.add(List.of(h * tile, w * tile));
        }
        return out;
    }

    @Override
    protected String expectedModelType() {
        return MODEL_TYPE;
    }

    /** N of "anyres_max_N" (1 to 9999). */
    public int maxNumPatches() {
        Matcher m = ANYRES_MAX.matcher(visionAspectRatio == null ? "" : visionAspectRatio);
        if (!m.matches()) {
            throw new IllegalArgumentException("vision_aspect_ratio '" + visionAspectRatio
                    + "' is not supported: LLaVA-OneVision takes \"anyres_max_N\" with N from 1 to 9999 (e.g. \"anyres_max_9\")");
        }
        return Integer.parseInt(m.group(1));
    }

    /** The tiling geometry of this config: its pinpoints, the tower's tile size and tokens, and anyres_max's N. */
    public AnyresGrid anyresGrid() {
        List<ImageDimensions> pinpoints = new ArrayList<>();
        for (List<Integer> p : imageGridPinpoints) pinpoints.add(new ImageDimensions(p.get(0), p.get(1)));
        SiglipVisionConfig tower = (SiglipVisionConfig) visionConfig;
        return new AnyresGrid(pinpoints, tower.imageSize, tower.patchesPerSide(), maxNumPatches());
    }

    @Override
    public void validate() {
        super.validate();
        if (!(visionConfig instanceof SiglipVisionConfig tower)) {
            throw new IllegalArgumentException("vision_config.model_type '" + visionConfig.modelType
                    + "' is not supported for LLaVA-OneVision: its anyres grid needs a tower without a class token "
                    + "(siglip_vision_model)");
        }
        if (featuresPerImage() != tower.numPatches()) {
            throw new IllegalArgumentException("vision_feature_select_strategy '" + visionFeatureSelectStrategy
                    + "' leaves " + featuresPerImage() + " features per tile, but LLaVA-OneVision lays every tile's "
                    + tower.patchesPerSide() + "×" + tower.patchesPerSide() + " patches on a grid (transformers fails with "
                    + "\"The number of patches is not consistent with the image size\"): use \"full\"");
        }
        ConfigValues.tokenId("video_token_index", videoTokenIndex, textConfig.vocabSize, "text_config.vocab_size");
        if (videoTokenIndex == imageTokenIndex) {
            throw new IllegalArgumentException("video_token_index equals image_token_index (" + imageTokenIndex + ")");
        }
        maxNumPatches();
        validatePinpoints(tower.imageSize);
    }

    private void validatePinpoints(int tileSize) {
        if (imageGridPinpoints == null || imageGridPinpoints.isEmpty()) {
            throw new IllegalArgumentException("image_grid_pinpoints must be a non-empty list of [height, width] pairs");
        }
        for (int i = 0; i < imageGridPinpoints.size(); i++) {
            List<Integer> p = imageGridPinpoints.get(i);
            String key = "image_grid_pinpoints[" + i + "]";
            if (p == null || p.size() != 2 || p.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException(key + " must be a [height, width] pair of integers, got " + p);
            }
            for (int side : p) {
                if (side <= 0 || side % tileSize != 0 || side > ConfigValues.MAX_IMAGE_SIZE) {
                    throw new IllegalArgumentException(key + " is " + p + ": every side must be a positive multiple of "
                            + "vision_config.image_size (" + tileSize + "), at most " + ConfigValues.MAX_IMAGE_SIZE);
                }
            }
        }
    }
}
