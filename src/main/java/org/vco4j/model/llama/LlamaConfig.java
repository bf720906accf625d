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

    /** The decoder's numbers; attention_bias applies to all four attention projections. */
    public DecoderSpec spec() {
        return new DecoderSpec(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, headDim, hiddenAct, maxPositionEmbeddings, rmsNormEps, ropeTheta, attentionBias,
                attentionBias, mlpBias);
    }

    /**
     * Checks every number the model relies on (ranges, divisibility, token ids inside the vocabulary), naming
     * the offending key as {@code where.key}.
     */
    public void validate(String where) {
        ConfigValues.required(where + ".model_type", modelType);
        spec().validate(where);
        ConfigValues.tokenId(where + ".bos_token_id", bosTokenId, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".eos_token_id", eosTokenId, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".pad_token_id", padTokenId, vocabSize, where + ".vocab_size");
        if (ropeScaling != null && !ropeScaling.isNull()) {
            throw new IllegalArgumentException(where + ".rope_scaling " + ropeScaling
                    + " is not supported yet (LLaVA-1.5 uses none)");
        }
    }
}
