package org.vco4j.model.qwen2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.llama.DecoderSpec;

/**
 * {@code Qwen2Config}: field names and defaults as in Hugging Face transformers' class (a config holding only
 * {@code model_type} gets them). Sliding-window attention is read but not implemented: a config that turns it on is
 * refused.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Qwen2Config {
    @JsonProperty("model_type") public String modelType = "qwen2";
    @JsonProperty("vocab_size") public int vocabSize = 151936;
    @JsonProperty("hidden_size") public int hiddenSize = 4096;
    @JsonProperty("intermediate_size") public int intermediateSize = 22016;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 32;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 32;
    /** transformers: None means as many as {@code num_attention_heads}. */
    @JsonProperty("num_key_value_heads") public Integer numKeyValueHeads = 32;
    @JsonProperty("head_dim") public Integer headDim;
    @JsonProperty("hidden_act") public String hiddenAct = "silu";
    @JsonProperty("max_position_embeddings") public int maxPositionEmbeddings = 32768;
    @JsonProperty("rms_norm_eps") public double rmsNormEps = 1e-6;
    @JsonProperty("rope_theta") public double ropeTheta = 10000.0;
    @JsonProperty("rope_scaling") public JsonNode ropeScaling;
    @JsonProperty("tie_word_embeddings") public boolean tieWordEmbeddings = false;
    @JsonProperty("use_sliding_window") public boolean useSlidingWindow = false;
    @JsonProperty("sliding_window") public Integer slidingWindow = 4096;
    @JsonProperty("max_window_layers") public int maxWindowLayers = 28;
    @JsonProperty("attention_dropout") public double attentionDropout = 0.0;
    @JsonProperty("bos_token_id") public Integer bosTokenId;
    @JsonProperty("eos_token_id") public Integer eosTokenId;
    @JsonProperty("pad_token_id") public Integer padTokenId;

    /** The decoder's numbers: q/k/v projections with a bias, o_proj and the MLP without. */
    public DecoderSpec spec() {
        return new DecoderSpec(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, headDim, hiddenAct, maxPositionEmbeddings, rmsNormEps, ropeTheta, true, false, false);
    }

    /**
     * Checks every number the model relies on and refuses what it does not implement (sliding windows, attention
     * dropout, rope scaling), naming the offending key as {@code where.key}.
     */
    public void validate(String where) {
        ConfigValues.required(where + ".model_type", modelType);
        spec().validate(where);
        ConfigValues.range(where + ".max_window_layers", maxWindowLayers, 0, ConfigValues.MAX_LAYERS);
        if (slidingWindow != null) {
            ConfigValues.range(where + ".sliding_window", slidingWindow, 1, ConfigValues.MAX_POSITIONS);
        }
        if (useSlidingWindow) {
            throw new IllegalArgumentException(where + ".use_sliding_window is true: sliding-window attention "
                    + "(sliding_window " + slidingWindow + " from layer max_window_layers " + maxWindowLayers
                    + ") is not implemented; only full attention is");
        }
        if (!Double.isFinite(attentionDropout) || attentionDropout < 0 || attentionDropout >= 1) {
            throw new IllegalArgumentException(where + ".attention_dropout must be in [0, 1), got " + attentionDropout);
        }
        if (attentionDropout != 0) {
            throw new IllegalArgumentException(where + ".attention_dropout " + attentionDropout
                    + " is not implemented (only 0.0, as in the published Qwen2 configs)");
        }
        ConfigValues.tokenId(where + ".bos_token_id", bosTokenId, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".eos_token_id", eosTokenId, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".pad_token_id", padTokenId, vocabSize, where + ".vocab_size");
        if (ropeScaling != null && !ropeScaling.isNull()) {
            throw new IllegalArgumentException(where + ".rope_scaling " + ropeScaling
                    + " is not supported yet (the Qwen2 LLaVA checkpoints use none)");
        }
    }
}
