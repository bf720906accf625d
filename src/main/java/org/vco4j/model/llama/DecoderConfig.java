package org.vco4j.model.llama;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.ConfigValues;

/**
 * The keys every Llama-style decoder's config.json section shares (Llama's and Qwen2's {@code text_config}),
 * with their checks. A decoder's config sets its own class defaults in its constructor and adds its keys.
 */
public abstract class DecoderConfig {
    @JsonProperty("model_type") public String modelType;
    @JsonProperty("vocab_size") public int vocabSize;
    @JsonProperty("hidden_size") public int hiddenSize = 4096;
    @JsonProperty("intermediate_size") public int intermediateSize;
    @JsonProperty("num_hidden_layers") public int numHiddenLayers = 32;
    @JsonProperty("num_attention_heads") public int numAttentionHeads = 32;
    /** transformers: None means as many as {@code num_attention_heads}. */
    @JsonProperty("num_key_value_heads") public Integer numKeyValueHeads;
    @JsonProperty("head_dim") public Integer headDim;
    @JsonProperty("hidden_act") public String hiddenAct = "silu";
    @JsonProperty("max_position_embeddings") public int maxPositionEmbeddings;
    @JsonProperty("rms_norm_eps") public double rmsNormEps = 1e-6;
    @JsonProperty("rope_theta") public double ropeTheta = 10000.0;
    @JsonProperty("rope_scaling") public JsonNode ropeScaling;

    protected DecoderConfig(String modelType, int vocabSize, int intermediateSize, Integer numKeyValueHeads,
                            int maxPositionEmbeddings) {
        this.modelType = modelType;
        this.vocabSize = vocabSize;
        this.intermediateSize = intermediateSize;
        this.numKeyValueHeads = numKeyValueHeads;
        this.maxPositionEmbeddings = maxPositionEmbeddings;
    }

    /** The decoder's numbers, with the family's biases. */
    public abstract DecoderSpec spec();

    /** Checks every number the model relies on, naming the offending key as {@code where.key}. */
    public abstract void validate(String where);

    /** Checks the shared numbers; refuses rope scaling, which no supported checkpoint uses ({@code note} says which). */
    protected final void validateDecoder(String where, String note) {
        ConfigValues.required(where + ".model_type", modelType);
        spec().validate(where);
        if (ropeScaling != null && !ropeScaling.isNull()) {
            throw new IllegalArgumentException(where + ".rope_scaling " + ropeScaling + " is not supported yet (" + note + ")");
        }
    }

    /** Token ids, when given, lie inside the vocabulary. */
    protected final void validateTokenIds(String where, Integer bos, Integer eos, Integer pad) {
        ConfigValues.tokenId(where + ".bos_token_id", bos, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".eos_token_id", eos, vocabSize, where + ".vocab_size");
        ConfigValues.tokenId(where + ".pad_token_id", pad, vocabSize, where + ".vocab_size");
    }
}
