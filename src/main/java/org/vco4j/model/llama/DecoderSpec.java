package org.vco4j.model.llama;

import org.vco4j.model.ConfigValues;

/**
 * The numbers a rotary, pre-norm, SwiGLU decoder is built from, whichever config they come from (Llama, Qwen2).
 * The families differ only in which projections carry a bias.
 *
 * @param numKeyValueHeads null for as many as query heads
 * @param headDim null for {@code hiddenSize / heads}
 * @param qkvBias whether q_proj, k_proj and v_proj have a bias
 * @param outputBias whether o_proj has a bias
 * @param mlpBias whether gate_proj, up_proj and down_proj have a bias
 */
public record DecoderSpec(int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads,
                          Integer numKeyValueHeads, Integer headDim, String hiddenAct, int maxPositions,
                          double rmsNormEps, double ropeTheta, boolean qkvBias, boolean outputBias, boolean mlpBias) {

    public int keyValueHeads() {
        return numKeyValueHeads == null ? heads : numKeyValueHeads;
    }

    public int headDimension() {
        return headDim == null ? hiddenSize / heads : headDim;
    }

    /**
     * Checks every number the decoder relies on (ranges, divisibility), naming the offending key as
     * {@code where.key} with the Hugging Face config names.
     */
    public void validate(String where) {
        ConfigValues.range(where + ".vocab_size", vocabSize, 1, ConfigValues.MAX_VOCAB_SIZE);
        ConfigValues.range(where + ".hidden_size", hiddenSize, 1, ConfigValues.MAX_HIDDEN_SIZE);
        ConfigValues.range(where + ".intermediate_size", intermediateSize, 1, ConfigValues.MAX_INTERMEDIATE_SIZE);
        ConfigValues.range(where + ".num_hidden_layers", layers, 1, ConfigValues.MAX_LAYERS);
        ConfigValues.range(where + ".num_attention_heads", heads, 1, Math.min(hiddenSize, ConfigValues.MAX_HEADS));
        if (numKeyValueHeads != null) {
            ConfigValues.range(where + ".num_key_value_heads", numKeyValueHeads, 1, heads);
        }
        if (headDim != null) {
            ConfigValues.range(where + ".head_dim", headDim, 1, ConfigValues.MAX_HIDDEN_SIZE);
        } else {
            ConfigValues.divisible(where + ".hidden_size", hiddenSize, "num_attention_heads", heads);
        }
        ConfigValues.divisible(where + ".num_attention_heads", heads, "num_key_value_heads", keyValueHeads());
        if (headDimension() % 2 != 0) {
            throw new IllegalArgumentException(where + ": rotary embeddings need an even head dimension, got "
                    + headDimension());
        }
        ConfigValues.range(where + ".max_position_embeddings", maxPositions, 1, ConfigValues.MAX_POSITIONS);
        ConfigValues.openRange(where + ".rms_norm_eps", rmsNormEps, 0, 1);
        ConfigValues.openRange(where + ".rope_theta", ropeTheta, 0, Double.POSITIVE_INFINITY);
        ConfigValues.required(where + ".hidden_act", hiddenAct);
    }
}
