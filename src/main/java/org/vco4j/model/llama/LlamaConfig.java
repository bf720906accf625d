package org.vco4j.model.llama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

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

    /** Checks the shape arithmetic the model relies on, naming the offending field. */
    public void validate(String where) {
        if (headDim == null && hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException(where + ".hidden_size (" + hiddenSize
                    + ") must be divisible by num_attention_heads (" + numAttentionHeads + ")");
        }
        if (numAttentionHeads % keyValueHeads() != 0) {
            throw new IllegalArgumentException(where + ".num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + keyValueHeads() + ")");
        }
        if (headDimension() % 2 != 0) {
            throw new IllegalArgumentException(where + ": rotary embeddings need an even head dimension, got "
                    + headDimension());
        }
        if (ropeScaling != null && !ropeScaling.isNull()) {
            throw new IllegalArgumentException(where + ".rope_scaling " + ropeScaling
                    + " is not supported yet (LLaVA-1.5 uses none)");
        }
    }
}
