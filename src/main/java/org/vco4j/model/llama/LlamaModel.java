package org.vco4j.model.llama;

import org.vco4j.model.nn.ParameterFactory;

/** {@code LlamaModel}: token embeddings, decoder layers and the final norm (the head lives outside). */
public final class LlamaModel extends DecoderStack {
    private final LlamaConfig config;

    public LlamaModel(ParameterFactory factory, LlamaConfig config) {
        super(factory, validated(config));
        this.config = config;
    }

    private static DecoderSpec validated(LlamaConfig config) {
        config.validate("text_config");
        return config.spec();
    }

    public LlamaConfig config() {
        return config;
    }
}
