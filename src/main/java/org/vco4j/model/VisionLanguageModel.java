package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;

/**
 * What scoring, generation and training need from a model family: image features, token embeddings, a
 * decoder that extends a {@link KvCache}, and the language-model head. A family (LLaVA, LLaVA-OneVision, Qwen2-VL)
 * implements it in its own package; how many slots an image takes in the input ids is its
 * {@link ModelFamily#processor processor}'s business, and a family whose positions are more than the count of real
 * tokens (Qwen2-VL's M-RoPE) computes them in {@link #positionIds}, which every caller passes on to {@link #decode}.
 */
public interface VisionLanguageModel extends AutoCloseable {

    /** The module tree whose dotted parameter names are the checkpoint keys (current Hugging Face layout). */
    Module module();

    /** Device and dtype of the parameters. */
    ParameterFactory parameters();

    /** Longest sequence (prompt, images and response) the decoder accepts. */
    int maxPositions();

    /** Size of the vocabulary the head scores. */
    int vocabSize();

    /** Number of decoder layers (the length of a {@link KvCache}). */
    int decoderLayers();

    /**
     * Image features projected into the text embedding space, one row per image-token slot: [sum of the images'
     * {@link ImageInput#slots()}, hidden], image after image. Fails, naming the image, when an image gives another
     * number of rows than its slots.
     */
    Tensor encodeImages(ImageInputs images);

    /**
     * Input embeddings for ids [B, T] where every image token slot is replaced, in order, by the rows of
     * {@code imageFeatures} [sum of slots, hidden] (null when there is no image).
     */
    Tensor embed(Tensor inputIds, Tensor imageFeatures);

    /**
     * Position ids of new input ids [B, T] after the cached positions, for a family whose positions are not simply the
     * count of real tokens: Qwen2-VL's M-RoPE ids [3, B, T] (temporal, height, width) from each image's grid. When the
     * cache is empty (or null) the ids are computed over the whole rows and each row's rope delta is recorded in
     * {@code cache}; after cached positions they continue from the deltas. Null for the other families, whose decoder
     * counts the real tokens of {@code keyValid} itself. Call it before {@link #decode}, which extends the cache.
     *
     * @param inputIds [B, T], image tokens expanded
     * @param images   the images of the image tokens in {@code inputIds}, row after row (null when there is none)
     * @param keyValid [B, past + T], false for padding; null when nothing is padded
     */
    default Tensor positionIds(Tensor inputIds, ImageInputs images, Tensor keyValid, KvCache cache) {
        return null;
    }

    /**
     * Decoder hidden states [B, T, hidden] for new embeddings after the cached positions.
     *
     * @param positionIds what {@link #positionIds} gave for these inputs (null for a family that needs none)
     * @param keyValid    [B, past + T], false for padding; null when nothing is padded or, with an empty cache, when
     *                    each row's padding follows its real tokens and the padding's outputs are not read (the
     *                    causal mask alone then keeps it from every real token, and attention runs without a mask)
     * @param cache       extended in place by the new keys and values; null for none
     */
    default Tensor decode(Tensor inputsEmbeds, Tensor positionIds, Tensor keyValid, KvCache cache) {
        return decode(inputsEmbeds, positionIds, keyValid, cache, 0);
    }

    /**
     * {@link #decode(Tensor, Tensor, Tensor, KvCache)} when only the hidden states at new positions {@code readFrom}
     * and after will be read: [B, T - readFrom, hidden]. The last decoder layer then computes its keys and values at
     * every position and the rest of its work at the read positions only (the same numbers up to the order of float
     * additions), which saves most of one layer's work when the read positions are a short tail, as a response's are.
     */
    Tensor decode(Tensor inputsEmbeds, Tensor positionIds, Tensor keyValid, KvCache cache, long readFrom);

    /** {@link #decode(Tensor, Tensor, Tensor, KvCache)} without position ids, for families that need none. */
    default Tensor decode(Tensor inputsEmbeds, Tensor keyValid, KvCache cache) {
        return decode(inputsEmbeds, null, keyValid, cache);
    }

    /** Next-token logits [.., vocab] for hidden states [.., hidden]. */
    Tensor logits(Tensor hidden);

    @Override
    void close();
}
