package org.vco4j.model.vit;

/**
 * The numbers of a pre-norm ViT encoder, as CLIP's and SigLIP's vision configs give them.
 *
 * @param hiddenSize        width of the residual stream
 * @param numAttentionHeads attention heads (hiddenSize / heads per head)
 * @param intermediateSize  width of the MLP
 * @param hiddenAct         the MLP's activation by its Hugging Face name (quick_gelu, gelu_pytorch_tanh, ...)
 * @param layerNormEps      epsilon of every LayerNorm
 * @param numHiddenLayers   encoder layers
 */
public record VitEncoderSpec(int hiddenSize, int numAttentionHeads, int intermediateSize, String hiddenAct,
                             double layerNormEps, int numHiddenLayers) {}
