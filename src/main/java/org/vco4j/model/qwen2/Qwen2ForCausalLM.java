package org.vco4j.model.qwen2;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.KvCache;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code Qwen2ForCausalLM}: the decoder ({@code model.*}) and the vocabulary head ({@code lm_head}). With
 * {@code tie_word_embeddings} the head has no weight of its own and scores with {@code model.embed_tokens.weight}.
 */
public final class Qwen2ForCausalLM extends Module {
    private final Qwen2Model model;
    private final Linear lmHead; // null when tied

    public Qwen2ForCausalLM(ParameterFactory factory, Qwen2Config config) {
        model = child("model", new Qwen2Model(factory, config));
        lmHead = config.tieWordEmbeddings ? null
                : child("lm_head", new Linear(factory, config.hiddenSize, config.vocabSize, false));
    }

    public Qwen2Model model() {
        return model;
    }

    /** Hidden states for new embeddings after the cached positions (see {@code DecoderStack.forward}). */
    public Tensor decode(Tensor inputsEmbeds, Tensor keyValid, KvCache cache) {
        return model.forward(inputsEmbeds, keyValid, cache);
    }

    /** Vocabulary logits [B, T, vocab] of hidden states [B, T, hidden]. */
    public Tensor logits(Tensor hidden) {
        return lmHead == null ? Flops.linear(hidden, model.embedTokens().weight(), null) : lmHead.forward(hidden);
    }
}
