package org.vco4j.model.llava;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.clip.ClipVisionConfig;
import org.vco4j.model.llama.LlamaConfig;

import java.util.List;

/** {@code LlavaConfig}: field names and defaults as in Hugging Face transformers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class LlavaConfig {
    @JsonProperty("architectures") public List<String> architectures = List.of("LlavaForConditionalGeneration");
    @JsonProperty("model_type") public String modelType = "llava";
    @JsonProperty("image_token_index") @JsonAlias("image_token_id") public int imageTokenIndex = 32000;
    @JsonProperty("projector_hidden_act") public String projectorHiddenAct = "gelu";
    @JsonProperty("vision_feature_layer") public int visionFeatureLayer = -2;
    @JsonProperty("vision_feature_select_strategy") public String visionFeatureSelectStrategy = "default";
    @JsonProperty("image_seq_length") public int imageSeqLength = 576;
    @JsonProperty("multimodal_projector_bias") public boolean multimodalProjectorBias = true;
    @JsonProperty("tie_word_embeddings") public Boolean tieWordEmbeddings;
    @JsonProperty("pad_token_id") public Integer padTokenId;
    @JsonProperty("torch_dtype") public String torchDtype;
    @JsonProperty("text_config") public LlamaConfig textConfig = new LlamaConfig();
    @JsonProperty("vision_config") public ClipVisionConfig visionConfig = ClipVisionConfig.llavaDefault();

    /** Image features per image after the select strategy. */
    public int featuresPerImage() {
        return visionConfig.numPatches() + (keepsClassToken() ? 1 : 0);
    }

    /** "full" keeps CLIP's class token; "default" drops it. */
    public boolean keepsClassToken() {
        return visionFeatureSelectStrategy.equals("full");
    }

    /** The head shares the token embedding when either config level asks for it. */
    public boolean tiesWordEmbeddings() {
        if (textConfig.tieWordEmbeddings != null) return textConfig.tieWordEmbeddings;
        return tieWordEmbeddings != null && tieWordEmbeddings;
    }

    /** Fails on configurations this implementation would silently get wrong or crash on, naming the key. */
    public void validate() {
        ConfigValues.required("model_type", modelType);
        if (!modelType.equals("llava")) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not 'llava'");
        }
        if (textConfig == null) throw new IllegalArgumentException("text_config must be an object, got null");
        if (visionConfig == null) throw new IllegalArgumentException("vision_config must be an object, got null");
        ConfigValues.required("vision_feature_select_strategy", visionFeatureSelectStrategy);
        if (!visionFeatureSelectStrategy.equals("default") && !visionFeatureSelectStrategy.equals("full")) {
            throw new IllegalArgumentException("vision_feature_select_strategy '" + visionFeatureSelectStrategy
                    + "' is not one of default, full");
        }
        ConfigValues.required("projector_hidden_act", projectorHiddenAct);
        if (textConfig.modelType != null && !textConfig.modelType.equals("llama")) {
            throw new IllegalArgumentException("text_config.model_type '" + textConfig.modelType
                    + "' is not supported by the llava family (supported: llama)");
        }
        if (visionConfig.modelType != null && !visionConfig.modelType.startsWith("clip")) {
            throw new IllegalArgumentException("vision_config.model_type '" + visionConfig.modelType
                    + "' is not supported by the llava family (supported: clip_vision_model)");
        }
        visionConfig.validate("vision_config");
        textConfig.validate("text_config");
        int layers = visionConfig.numHiddenLayers;
        if (visionFeatureLayer < -(layers + 1) || visionFeatureLayer > layers) {
            throw new IllegalArgumentException("vision_feature_layer must be in [" + -(layers + 1) + ", " + layers
                    + "] for a " + layers + "-layer vision tower (vision_config.num_hidden_layers), got " + visionFeatureLayer);
        }
        if (imageSeqLength != featuresPerImage()) {
            throw new IllegalArgumentException("image_seq_length is " + imageSeqLength + " but the vision tower gives "
                    + featuresPerImage() + " features per image ((image_size / patch_size)² "
                    + (keepsClassToken() ? "+ 1 for strategy 'full'" : "for strategy 'default'") + ")");
        }
        ConfigValues.tokenId("image_token_index", imageTokenIndex, textConfig.vocabSize, "text_config.vocab_size");
        ConfigValues.tokenId("pad_token_id", padTokenId, textConfig.vocabSize, "text_config.vocab_size");
    }
}
