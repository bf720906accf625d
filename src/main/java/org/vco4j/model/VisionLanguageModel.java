package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;

/**
 * What scoring, generation and training need from a model family: image features, token embeddings, a
 * decoder that extends a {@link KvCache}, and the language-model head. A family (LLaVA today; Qwen2 or
 * SigLIP-based ones next) implements it in its own package; how many slots an image takes in the input ids
 * is its {@link ModelFamily#processor processor}'s business.
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

    /** Decoder hidden states for new embeddings after the cached positions (see {@code LlamaModel.forward}). */
    Tensor decode(Tensor inputsEmbeds, Tensor keyValid, KvCache cache);

    /** Next-token logits [.., vocab] for hidden states [.., hidden]. */
    Tensor logits(Tensor hidden);

    @Override
    void close();
}
