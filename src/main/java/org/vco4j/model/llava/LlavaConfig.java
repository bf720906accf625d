package org.vco4j.model.llava;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.clip.ClipVisionConfig;
import org.vco4j.model.llama.DecoderConfig;
import org.vco4j.model.llama.LlamaConfig;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.siglip.SiglipVisionConfig;
import org.vco4j.model.vit.VitConfig;

import java.util.List;

/**
 * {@code LlavaConfig}: field names and defaults as in Hugging Face transformers. The decoder and the tower are
 * picked by their {@code model_type}: {@code text_config} llama (LLaVA-1.5; also when absent) or qwen2
 * (LLaVA-NeXT-Interleave), {@code vision_config} clip_vision_model (also when absent) or siglip_vision_model.
 * LLaVA-OneVision's config extends it ({@link #expectedModelType()}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LlavaConfig {
    @JsonProperty("architectures") public List<String> architectures = List.of("LlavaForConditionalGeneration");
    @JsonProperty("model_type") public String modelType = "llava";
    @JsonProperty("image_token_index") @JsonAlias("image_token_id") public int imageTokenIndex = 32000;
    @JsonProperty("projector_hidden_act") public String projectorHiddenAct = "gelu";
    @JsonProperty("vision_feature_layer") public int visionFeatureLayer = -2;
    @JsonProperty("vision_feature_select_strategy") public String visionFeatureSelectStrategy = "default";
    /**
     * Checked against the tower when present. transformers' class default (576) is not applied: it is never used
     * by the model, and the interleave hub config omits the key although its tower gives 729 features.
     */
    @JsonProperty("image_seq_length") public Integer imageSeqLength;
    @JsonProperty("multimodal_projector_bias") public boolean multimodalProjectorBias = true;
    @JsonProperty("tie_word_embeddings") public Boolean tieWordEmbeddings;
    @JsonProperty("pad_token_id") public Integer padTokenId;
    @JsonProperty("torch_dtype") public String torchDtype;
    // An unknown model_type binds to the default class and is then refused by validate(), naming the key.
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "model_type",
            visible = true, defaultImpl = LlamaConfig.class)
    @JsonSubTypes({@JsonSubTypes.Type(value = LlamaConfig.class, name = "llama"),
            @JsonSubTypes.Type(value = Qwen2Config.class, name = "qwen2")})
    @JsonProperty("text_config") public DecoderConfig textConfig = new LlamaConfig();
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "model_type",
            visible = true, defaultImpl = ClipVisionConfig.class)
    @JsonSubTypes({@JsonSubTypes.Type(value = ClipVisionConfig.class, name = "clip_vision_model"),
            @JsonSubTypes.Type(value = SiglipVisionConfig.class, name = "siglip_vision_model")})
    @JsonProperty("vision_config") public VitConfig visionConfig = ClipVisionConfig.llavaDefault();

    /**
     * Image features per image after the select strategy, as transformers computes them: the tower's sequence
     * (CLIP: patches + class token; SigLIP: patches only), less its first token for "default". For SigLIP,
     * "default" thus drops a real patch (728 of 729 at 384 px); the processor uses this same count, so the
     * prompt and the features always agree.
     */
    public int featuresPerImage() {
        return visionConfig.sequenceLength() - (dropsFirstToken() ? 1 : 0);
    }

    /** "default" drops the tower's first token (CLIP's class token); "full" keeps every token. */
    public boolean dropsFirstToken() {
        return visionFeatureSelectStrategy.equals("default");
    }

    /** The head shares the token embedding when either config level asks for it. */
    public boolean tiesWordEmbeddings() {
        Boolean text = textConfig instanceof LlamaConfig llama ? llama.tieWordEmbeddings
                : textConfig instanceof Qwen2Config qwen2 ? Boolean.valueOf(qwen2.tieWordEmbeddings) : null;
        if (text != null) return text;
        return tieWordEmbeddings != null && tieWordEmbeddings;
    }

    /** The {@code model_type} this config class reads: "llava". */
    protected String expectedModelType() {
        return "llava";
    }

    /** Fails on configurations this implementation would silently get wrong or crash on, naming the key. */
    public void validate() {
        ConfigValues.required("model_type", modelType);
        if (!modelType.equals(expectedModelType())) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not '" + expectedModelType() + "'");
        }
        if (textConfig == null) throw new IllegalArgumentException("text_config must be an object, got null");
        if (visionConfig == null) throw new IllegalArgumentException("vision_config must be an object, got null");
        ConfigValues.required("vision_feature_select_strategy", visionFeatureSelectStrategy);
        if (!visionFeatureSelectStrategy.equals("default") && !visionFeatureSelectStrategy.equals("full")) {
            throw new IllegalArgumentException("vision_feature_select_strategy '" + visionFeatureSelectStrategy
                    + "' is not one of default, full");
        }
        ConfigValues.required("projector_hidden_act", projectorHiddenAct);
        if (textConfig.modelType != null && !textConfig.modelType.equals("llama") && !textConfig.modelType.equals("qwen2")) {
            throw new IllegalArgumentException("text_config.model_type '" + textConfig.modelType
                    + "' is not supported by model_type " + expectedModelType() + " (supported: llama, qwen2)");
        }
        boolean siglip = visionConfig instanceof SiglipVisionConfig;
        if (visionConfig.modelType != null && !(siglip ? visionConfig.modelType.equals("siglip_vision_model")
                : visionConfig.modelType.startsWith("clip"))) {
            throw new IllegalArgumentException("vision_config.model_type '" + visionConfig.modelType
                    + "' is not supported by model_type " + expectedModelType() + " (supported: clip_vision_model, siglip_vision_model)");
        }
        visionConfig.validate("vision_config");
        textConfig.validate("text_config");
        int layers = visionConfig.numHiddenLayers;
        if (visionFeatureLayer < -(layers + 1) || visionFeatureLayer > layers) {
            throw new IllegalArgumentException("vision_feature_layer must be in [" + -(layers + 1) + ", " + layers
                    + "] for a " + layers + "-layer vision tower (vision_config.num_hidden_layers), got " + visionFeatureLayer);
        }
        if (imageSeqLength != null && imageSeqLength != featuresPerImage()) {
            throw new IllegalArgumentException("image_seq_length is " + imageSeqLength + " but the vision tower gives "
                    + featuresPerImage() + " features per image ((image_size / patch_size)² "
                    + (siglip ? (dropsFirstToken() ? "- 1 for strategy 'default' (SigLIP has no class token)"
                            : "for strategy 'full' (SigLIP has no class token)")
                    : (dropsFirstToken() ? "for strategy 'default'" : "+ 1 for strategy 'full'")) + ")");
        }
        ConfigValues.tokenId("image_token_index", imageTokenIndex, textConfig.vocabSize, "text_config.vocab_size");
        ConfigValues.tokenId("pad_token_id", padTokenId, textConfig.vocabSize, "text_config.vocab_size");
    }
}
