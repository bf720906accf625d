package org.vco4j.model.vit;

/**
 * The numbers of a pre-norm ViT encoder, as CLIP's, SigLIP's and DINOv2's configs give them.
 *
 * @param hiddenSize        width of the residual stream
 * @param numAttentionHeads attention heads (hiddenSize / heads per head)
 * @param intermediateSize  width of the MLP
 * @param hiddenAct         the MLP's activation by its Hugging Face name (quick_gelu, gelu_pytorch_tanh, ...)
 * @param layerNormEps      epsilon of every LayerNorm
 * @param numHiddenLayers   encoder layers
 * @param layout            the modules' Hugging Face names (and whether there is layer scale)
 * @param qkvBias           whether the query, key and value projections have biases (DINOv2's {@code qkv_bias})
 */
public record VitEncoderSpec(int hiddenSize, int numAttentionHeads, int intermediateSize, String hiddenAct,
                             double layerNormEps, int numHiddenLayers, VitLayout layout, boolean qkvBias) {
    /** CLIP's and SigLIP's encoder: {@link VitLayout#CLIP} names, biased projections. */
    public VitEncoderSpec(int hiddenSize, int numAttentionHeads, int intermediateSize, String hiddenAct,
                          double layerNormEps, int numHiddenLayers) {
        this(hiddenSize, numAttentionHeads, intermediateSize, hiddenAct, layerNormEps, numHiddenLayers, VitLayout.CLIP, true);
    }
}
