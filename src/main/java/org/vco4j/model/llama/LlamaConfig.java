package org.vco4j.model.llama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.ConfigValues;

/** {@code LlamaConfig}: field names and defaults as in Hugging Face transformers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class LlamaConfig {
    @JsonProperty("model_type") public String modelType = "llama";
    @JsonProperty("vocab_size") public int vocabSize = 32000;
    @JsonProperty("hidden_size") public int hiddenSize = 4096;
    @JsonProperty("intermediate_size") public int intermediateSize = 11008;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 32;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 32;
    @JsonProperty("num_key_value_heads") public Integer numKeyValueHeads;
    @JsonProperty("head_dim") public Integer headDim;
    @JsonProperty("hidden_act") public String hiddenAct = "silu";
    @JsonProperty("max_position_embeddings") public int maxPositionEmbeddings = 2048;
    @JsonProperty("rms_norm_eps") public double rmsNormEps = 1e-6;
    @JsonProperty("rope_theta") public double ropeTheta = 10000.0;
    @JsonProperty("rope_scaling") public JsonNode ropeScaling;
    @JsonProperty("attention_bias") public boolean attentionBias = false;
    @JsonProperty("mlp_bias") public boolean mlpBias = false;
    @JsonProperty("tie_word_embeddings") public Boolean tieWordEmbeddings;
    @JsonProperty("bos_token_id") public Integer bosTokenId = 1;
    @JsonProperty("eos_token_id") public Integer eosTokenId = 2;
    @JsonProperty("pad_token_id") public Integer padTokenId;

    public int keyValueHeads() {
        return numKeyValueHeads == null ? numAttentionHeads : numKeyValueHeads;
    }

    public int headDimension() {
        return headDim == null ? hiddenSize / numAttentionHeads : headDim;
    }

    /**
     * Checks every number the model relies on (ranges, divisibility, token ids inside the vocabulary), naming
     * the offending key as {@code where.key}.
     */
    public void validate(String where) {
        ConfigValues.required(where + ".model_type", modelType);
        ConfigValues.range(where + ".vocab_size", vocabSize, 1, ConfigValues.MAX_VOCAB_SIZE);
        ConfigValues.range(where + ".hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".intermediate_size", intermediateSize, 1, ConfigValues.MAX_INTERMEDIATE_SIZE);
        ConfigValues.range(where + ".num_hidden_layers", numHiddenLayers, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range(where + ".num_attention_heads", numAttentionHeads, 1, Math.min(hiddenSize, ConfigValues.MAX_HEADS));
        if (numKeyValueHeads != null) {
            ConfigValues.range(where + ".num_key_value_heads", numKeyValueHeads, 1, numAttentionHeads);
        }
        if (headDim != null) {
            ConfigValues.range(where + ".head_dim", headDim, 1, ConfigValues.MAX_HIDDEN_SIZE);
        } else {
            ConfigValues.divisible(where + ".hidden_size", hiddenSize, "num_attention_heads", numAttentionHeads);
        }
        ConfigValues.divisible(where + ".num_attention_heads", numAttentionHeads, "num_key_value_heads", keyValueHeads());
        if (headDimension() % 2 != 0) {
            throw new IllegalArgumentException(where + ": rotary embeddings need an even head dimension, got "
                    + headDimension());
        }
        ConfigValues.range(where + ".max_position_embeddings", maxPositionEmbeddings, 1, ConfigValues.MAX_POSITIONS);
        ConfigValues.openRange(where + ".rms_norm_eps", rmsNormEps, 0, 1);
        ConfigValues.openRange(where + ".rope_theta", ropeTheta, 0, Double.POSITIVE_INFINITY);
        ConfigValues.required(where + ".hidden_act", hiddenAct);
        ConfigValues.tokenId(where + ".bos_token_id", bosTokenId, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".eos_token_id", eosTokenId, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".pad_token_id", padTokenId, vocabSize, where + ".vocab_size");
        if (ropeScaling != null && !ropeScaling.isNull()) {
            throw new IllegalArgumentException(where + ".rope_scaling " + ropeScaling
                    + " is not supported yet (LLaVA-1.5 uses none)");
        }
    }
}
