package org.vco4j.model.vit;

/**
 * The Hugging Face names of a pre-norm ViT encoder's modules, so one implementation of the layer serves towers
 * whose checkpoints spell the same math differently: CLIP's and SigLIP's {@code layers.N.self_attn.q_proj},
 * DINOv2's {@code layer.N.attention.attention.query}. Paths may be dotted (nested modules).
 *
 * @param layers     the encoder's list of layers
 * @param attention  the attention block inside a layer
 * @param query      query projection, inside {@code attention}
 * @param key        key projection, inside {@code attention}
 * @param value      value projection, inside {@code attention}
 * @param output     output projection, inside {@code attention}
 * @param norm1      the norm in front of attention
 * @param norm2      the norm in front of the MLP
 * @param layerScale1 the layer scale after attention, or null when the tower has none
 * @param layerScale2 the layer scale after the MLP, or null when the tower has none
 */
public record VitLayout(String layers, String attention, String query, String key, String value, String output,
                        String norm1, String norm2, String layerScale1, String layerScale2) {
    /** {@code CLIPEncoderLayer} / {@code SiglipEncoderLayer}. */
    public static final VitLayout CLIP = new VitLayout("layers", "self_attn", "q_proj", "k_proj", "v_proj", "out_proj",
            "layer_norm1", "layer_norm2", null, null);
    /** {@code Dinov2Layer}: ViT's attention naming, and a learned per-channel scale on each residual branch. */
    public static final VitLayout DINOV2 = new VitLayout("layer", "attention", "attention.query", "attention.key",
            "attention.value", "output.dense", "norm1", "norm2", "layer_scale1", "layer_scale2");

    /** Whether each residual branch is multiplied by a learned {@code lambda1} before it is added. */
    public boolean hasLayerScale() {
        return layerScale1 != null;
    }
}
