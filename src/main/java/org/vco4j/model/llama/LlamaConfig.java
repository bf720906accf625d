package org.vco4j.model.llama;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code LlamaConfig}: field names and defaults as in Hugging Face transformers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class LlamaConfig extends DecoderConfig {
    @JsonProperty("attention_bias") public boolean attentionBias = false;
    @JsonProperty("mlp_bias") public boolean mlpBias = false;
    @JsonProperty("tie_word_embeddings") public Boolean tieWordEmbeddings;
    @JsonProperty("bos_token_id") public Integer bosTokenId = 1;
    @JsonProperty("eos_token_id") public Integer eosTokenId = 2;
    @JsonProperty("pad_token_id") public Integer padTokenId;

    public LlamaConfig() {
        super("llama", 32000, 11008, null, 2048);
    }

    /** The decoder's numbers; attention_bias applies to all four attention projections. */
    @Override
    public DecoderSpec spec() {
        return new DecoderSpec(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, headDim, hiddenAct, maxPositionEmbeddings, rmsNormEps, ropeTheta, attentionBias,
                attentionBias, mlpBias);
    }

    /**
     * Checks every number the model relies on (ranges, divisibility, token ids inside the vocabulary), naming
     * the offending key as {@code where.key}.
     */
    @Override
    public void validate(String where) {
        validateDecoder(where, "LLaVA-1.5 uses none");
        validateTokenIds(where, bosTokenId, eosTokenId, padTokenId);
    }
}
