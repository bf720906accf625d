package org.vco4j.model.qwen2vl;

import org.vco4j.model.llama.DecoderStack;
import org.vco4j.model.nn.ParameterFactory;

/**
 * The text model of Qwen2-VL ({@code model.*} in the hub's checkpoints: {@code embed_tokens}, {@code layers},
 * {@code norm}): Qwen2's decoder (q/k/v with a bias) whose rotary embedding is M-RoPE, so every pass needs the
 * [3, B, T] position ids {@link Qwen2VLForConditionalGeneration#positionIds} computes.
 */
final class Qwen2VLTextModel extends DecoderStack {
    Qwen2VLTextModel(ParameterFactory factory, Qwen2VLConfig config) {
        super(factory, config.text, "text_config", config.mropeSection);
    }
}
