package org.vco4j.model.qwen2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.llama.DecoderConfig;
import org.vco4j.model.llama.DecoderSpec;

/**
 * {@code Qwen2Config}: field names and defaults as in Hugging Face transformers' class (a config holding only
 * {@code model_type} gets them). Sliding-window attention is read but not implemented: a config that turns it on is
 * refused.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Qwen2Config extends DecoderConfig {
    @JsonProperty("tie_word_embeddings") public boolean tieWordEmbeddings = false;
    @JsonProperty("use_sliding_window") public boolean useSlidingWindow = false;
    @JsonProperty("sliding_window") public Integer slidingWindow = 4096;
    @JsonProperty("max_window_layers") public int maxWindowLayers = 28;
    @JsonProperty("attention_dropout") public double attentionDropout = 0.0;
    @JsonProperty("bos_token_id") public Integer bosTokenId;
    @JsonProperty("eos_token_id") public Integer eosTokenId;
    @JsonProperty("pad_token_id") public Integer padTokenId;

    public Qwen2Config() {
        super("qwen2", 151936, 22016, 32, 32768);
    }

    /** The decoder's numbers: q/k/v projections with a bias, o_proj and the MLP without. */
    @Override
    public DecoderSpec spec() {
        return new DecoderSpec(vocabSize, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, headDim, hiddenAct, maxPositionEmbeddings, rmsNormEps, ropeTheta, true, false, false);
    }

    /**
     * Checks every number the model relies on and refuses what it does not implement (sliding windows, attention
     * dropout, rope scaling), naming the offending key as {@code where.key}.
     */
    @Override
    public void validate(String where) {
        validateDecoder(where, "the Qwen2 LLaVA checkpoints use none");
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
        validateTokenIds(where, bosTokenId, eosTokenId, padTokenId);
    }
}
