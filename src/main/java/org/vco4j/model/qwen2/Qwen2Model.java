package org.vco4j.model.qwen2;

import org.vco4j.model.llama.DecoderStack;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code Qwen2Model}: token embeddings, decoder layers and the final norm (the head lives outside). The same
 * rotary, grouped-query, SwiGLU decoder as Llama; q_proj, k_proj and v_proj carry a bias, o_proj does not.
 */
public final class Qwen2Model extends DecoderStack {
    public Qwen2Model(ParameterFactory factory, Qwen2Config config) {
        super(factory, config);
    }
}
