package org.vco4j.model.llama;

import org.vco4j.model.nn.ParameterFactory;

/** {@code LlamaModel}: token embeddings, decoder layers and the final norm (the head lives outside). */
public final class LlamaModel extends DecoderStack {
    public LlamaModel(ParameterFactory factory, LlamaConfig config) {
        super(factory, config);
    }
}
