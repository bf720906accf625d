package org.vco4j.model.llama;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.KvCache;
import org.vco4j.model.nn.Embedding;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ModuleList;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RmsNorm;
import org.vco4j.tensor.Tensors;

import java.util.List;

/**
 * Token embeddings, rotary pre-norm decoder layers and the final norm (the head lives outside): the body of
 * {@code LlamaModel} and {@code Qwen2Model}, which differ only in their {@link DecoderSpec}.
 */
public abstract class DecoderStack extends Module {
    private final DecoderSpec spec;
    private final ParameterFactory factory;
    private final Embedding embedTokens;
    private final ModuleList<LlamaDecoderLayer> layers = new ModuleList<>();
    private final RmsNorm norm;
    private final LlamaRotaryEmbedding rotary;
    private final MultimodalRotaryEmbedding multimodalRotary; // null for 1-D positions

    /** Validates {@code config} as config.json's {@code text_config}, then allocates the stack it describes. */
    protected DecoderStack(ParameterFactory factory, DecoderConfig config) {
        this(factory, config, "text_config", null);
    }

    /**
     * Validates {@code config} (errors name its keys as {@code where.key}), then allocates the stack it describes; with
     * an {@code mropeSection} the rotary embedding is M-RoPE's and every forward pass needs [3, B, T] position ids.
     */
    protected DecoderStack(ParameterFactory factory, DecoderConfig config, String where, int[] mropeSection) {
        config.validate(where);
        this.spec = config.spec();
        this.factory = factory;
        embedTokens = child("embed_tokens", new Embedding(factory, spec.vocabSize(), spec.hiddenSize()));
        child("layers", layers);
        for (int i = 0; i < spec.layers(); i++) layers.add(new LlamaDecoderLayer(factory, spec, i));
        norm = child("norm", new RmsNorm(factory, spec.hiddenSize(), spec.rmsNormEps()));
        rotary = new LlamaRotaryEmbedding(factory, spec.headDimension(), spec.ropeTheta());
        multimodalRotary = mropeSection == null ? null
                : new MultimodalRotaryEmbedding(factory, spec.headDimension(), spec.ropeTheta(), mropeSection);
    }

    public DecoderSpec spec() {
        return spec;
    }

    public Embedding embedTokens() {
        return embedTokens;
    }

    /**
     * Runs the decoder on new input embeddings after whatever {@code cache} already holds.
     *
     * @param inputsEmbeds [B, T, hidden]
     * @param keyValid boolean [B, past + T], false for padding; null when nothing is padded or, without a cache, when
     *                 every row's padding comes after its real tokens (right padding) and its outputs are not read
     * @param cache the keys and values of earlier positions, extended in place; null for none
     * @return the normalised hidden states [B, T, hidden]
     */
    public Tensor forward(Tensor inputsEmbeds, Tensor keyValid, KvCache cache) {
        return forward(inputsEmbeds, null, keyValid, cache);
    }

    /**
     * Runs the decoder with explicit position ids: [B, T] for 1-D rotary positions (null: counted from
     * {@code keyValid}), [3, B, T] for M-RoPE, which a stack built with an {@code mrope_section} requires.
     */
    public Tensor forward(Tensor inputsEmbeds, Tensor positionIds, Tensor keyValid, KvCache cache) {
        return forward(inputsEmbeds, positionIds, keyValid, cache, 0);
    }

    /**
     * {@link #forward(Tensor, Tensor, Tensor, KvCache)} when only the outputs at new positions {@code readFrom} and
     * after are read. The last layer's outputs elsewhere feed nothing, so it computes the keys and values of every
     * position (the read positions attend to them, and the cache keeps them) and its queries, attention output, MLP
     * and residuals at the read positions only; the earlier layers run whole. Same numbers as the whole pass narrowed,
     * up to the order of float additions.
     *
     * @return the normalised hidden states [B, T - readFrom, hidden]
     */
    public Tensor forward(Tensor inputsEmbeds, Tensor positionIds, Tensor keyValid, KvCache cache, long readFrom) {
        long batch = inputsEmbeds.size(0);
        long length = inputsEmbeds.size(1);
        long past = cache == null ? 0 : cache.length();
        if (past + length > spec.maxPositions()) {
            throw new IllegalArgumentException("sequence of " + (past + length) + " tokens is longer than the model's "
                    + "maximum of " + spec.maxPositions() + " (text_config.max_position_embeddings)");
        }
        // Without a cache, rows whose padding (if any) follows all their real tokens need no key mask: under the causal
        // mask a real token never sees the padding after it (the padding's own outputs are garbage nobody reads).
        boolean causalOnly = keyValid == null && past == 0;
        if (keyValid == null) {
            keyValid = torch.ones(new long[] {batch, past + length}, factory.options(ScalarType.Bool));
        }
        Tensor[] cosSin;
        if (multimodalRotary != null) {
            if (positionIds == null || positionIds.dim() != 3 || positionIds.size(0) != 3 || positionIds.size(1) != batch
                    || positionIds.size(2) != length) {
                throw new IllegalArgumentException("the M-RoPE decoder needs position ids of shape [3, " + batch + ", " + length
                        + "] (temporal, height, width), got " + (positionIds == null ? "none"
                        : java.util.Arrays.toString(positionIds.sizes().vec().get())));
            }
            cosSin = multimodalRotary.cosSin(positionIds.to(inputsEmbeds.device(), ScalarType.Long), inputsEmbeds.scalar_type());
        } else {
            if (positionIds != null && (positionIds.dim() != 2 || positionIds.size(0) != batch || positionIds.size(1) != length)) {
                throw new IllegalArgumentException("position ids must have shape [" + batch + ", " + length + "], got "
                        + java.util.Arrays.toString(positionIds.sizes().vec().get()));
            }
            // Positions count only real tokens, so left padding and right padding give the same numbers.
            Tensor positions = positionIds != null ? positionIds
                    : countedPositions(keyValid, past, length);
            cosSin = rotary.cosSin(positions, inputsEmbeds.scalar_type());
        }
        if (readFrom < 0 || readFrom >= length) {
            throw new IllegalArgumentException("outputs read from position " + readFrom + " of " + length + " new tokens");
        }
        Tensor mask = causalOnly ? null : causalMask(keyValid, past, length);
        Tensor hidden = inputsEmbeds;
        List<LlamaDecoderLayer> all = layers.items();
        for (int i = 0; i < all.size(); i++) {
            LlamaDecoderLayer layer = all.get(i);
            Tensor input = hidden;
            if (i < all.size() - 1 || readFrom == 0) {
                hidden = Tensors.freeingIntermediates(() -> layer.forward(input, cosSin[0], cosSin[1], mask, cache));
            } else {
                long queries = length - readFrom;
                // Query past + readFrom + j sees key s when s <= past + readFrom + j: a causal mask aligned to the end.
                Tensor readMask = mask != null ? mask.narrow(2, readFrom, queries) : causalMask(null, past + readFrom, queries);
                Tensor cos = cosSin[0].narrow(2, readFrom, queries);
                Tensor sin = cosSin[1].narrow(2, readFrom, queries);
                hidden = Tensors.freeingIntermediates(() -> layer.forward(input, cosSin[0], cosSin[1], cos, sin, readMask,
                        cache, readFrom));
            }
        }
        return norm.forward(hidden);
    }

    /**
     * The 1-D positions of new tokens after {@code past} cached ones: each row's count of real tokens before them
     * ([B, T]; {@code keyValid} [B, past + T]).
     */
    public static Tensor countedPositions(Tensor keyValid, long past, long length) {
        return keyValid.to(ScalarType.Long).cumsum(1).sub(new Scalar(1)).clamp_min(new Scalar(0)).narrow(1, past, length);
    }

    /**
     * [B, 1, T, past + T]: query t sees key s when s ≤ past + t and s is not padding ([1, 1, T, past + T] without
     * {@code keyValid}: nothing is padding).
     */
    private Tensor causalMask(Tensor keyValid, long past, long length) {
        Tensor queryPositions = torch.arange(new Scalar(past), new Scalar(past + length), factory.options(ScalarType.Long));
        Tensor keyPositions = torch.arange(new Scalar(0), new Scalar(past + length), factory.options(ScalarType.Long));
        Tensor causal = keyPositions.unsqueeze(0).le(queryPositions.unsqueeze(1));
        if (keyValid == null) return causal.unsqueeze(0).unsqueeze(0);
        Tensor mask = causal.unsqueeze(0).logical_and(keyValid.unsqueeze(1)).unsqueeze(1);
        // A query that is itself padding may see no key at all; let it see itself so softmax stays finite.
        Tensor diagonal = keyPositions.unsqueeze(0).eq(queryPositions.unsqueeze(1)).unsqueeze(0).unsqueeze(1);
        return mask.logical_or(diagonal);
    }
}
