package org.vco4j.model.llava;

import org.vco4j.tensor.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Flops;
import org.vco4j.common.Profiler;
import org.vco4j.model.KvCache;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.clip.ClipVisionConfig;
import org.vco4j.model.clip.ClipVisionModel;
import org.vco4j.model.llama.DecoderConfig;
import org.vco4j.model.llama.DecoderStack;
import org.vco4j.model.llama.LlamaConfig;
import org.vco4j.model.llama.LlamaModel;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.qwen2.Qwen2Model;
import org.vco4j.model.siglip.SiglipVisionConfig;
import org.vco4j.model.siglip.SiglipVisionModel;
import org.vco4j.model.vit.VitConfig;
import org.vco4j.model.vit.VitVisionModel;

/**
 * {@code LlavaForConditionalGeneration}: a ViT vision tower, a two-layer projector and a decoder, each picked by
 * its config's {@code model_type}: CLIP and Llama for LLaVA-1.5, SigLIP and Qwen2 for LLaVA-NeXT-Interleave.
 * The module tree follows the current Hugging Face layout ({@code model.vision_tower},
 * {@code model.multi_modal_projector}, {@code model.language_model}, {@code lm_head}). LLaVA-OneVision extends it
 * with its own packing of image features.
 *
 * <p>Owns native memory (all parameters); close it when done.
 */
public class LlavaForConditionalGeneration extends Module implements VisionLanguageModel {
    private final LlavaConfig config;
    private final ParameterFactory factory;
    private final Container model;
    private final VitVisionModel<?> visionTower;
    private final LlavaMultiModalProjector projector;
    private final DecoderStack languageModel;
    private final Linear lmHead; // null when tied to the token embeddings

    public LlavaForConditionalGeneration(ParameterFactory factory, LlavaConfig config) {
        config.validate();
        this.config = config;
        this.factory = factory;
        model = child("model", new Container());
        visionTower = model.add("vision_tower", tower(factory, config.visionConfig));
        projector = model.add("multi_modal_projector", new LlavaMultiModalProjector(factory, config));
        languageModel = model.add("language_model", decoder(factory, config.textConfig));
        // A tied head has no weight of its own: it scores with the embedding matrix.
        lmHead = config.tiesWordEmbeddings() ? null
                : child("lm_head", new Linear(factory, config.textConfig.hiddenSize, config.textConfig.vocabSize, false));
    }

    private static VitVisionModel<?> tower(ParameterFactory factory, VitConfig config) {
        if (config instanceof SiglipVisionConfig siglip) return new SiglipVisionModel(factory, siglip);
        if (config instanceof ClipVisionConfig clip) return new ClipVisionModel(factory, clip);
        throw new IllegalArgumentException("vision_config: no tower for " + config.getClass().getSimpleName());
    }

    private static DecoderStack decoder(ParameterFactory factory, DecoderConfig config) {
        if (config instanceof Qwen2Config qwen2) return new Qwen2Model(factory, qwen2);
        if (config instanceof LlamaConfig llama) return new LlamaModel(factory, llama);
        throw new IllegalArgumentException("text_config: no decoder for " + config.getClass().getSimpleName());
    }

    public LlavaConfig config() {
        return config;
    }

    /** Transformers' {@code LlavaModel} ({@code model.*}): where a subclass adds parameters of its own. */
    protected final Container model() {
        return model;
    }

    @Override public Module module() { return this; }
    @Override public ParameterFactory parameters() { return factory; }
    @Override public int maxPositions() { return config.textConfig.maxPositionEmbeddings; }
    @Override public int vocabSize() { return config.textConfig.vocabSize; }
    @Override public int decoderLayers() { return config.textConfig.numHiddenLayers; }

    @Override
    public Tensor encodeImages(ImageInputs images) {
        Tensor features = tileFeatures(images.pixelValues());
        for (ImageInput image : images.images()) image.checkFeatures(features.size(1) * image.rows());
        return features.reshape(-1, features.size(2));
    }

    /** Projected features of each tile: [tiles, 3, H, W] → [tiles, tokens per tile, hidden]. */
    protected Tensor tileFeatures(Tensor pixelValues) {
        Tensor hidden = Profiler.time("vision tower",
                () -> visionTower.hiddenStates(Tensors.upload(pixelValues, factory.device(), factory.dtype()), config.visionFeatureLayer));
        Tensor selected = config.dropsFirstToken() ? hidden.narrow(1, 1, hidden.size(1) - 1) : hidden;
        return Profiler.time("projector", () -> projector.forward(selected));
    }

    /**
     * {@inheritDoc} The ids come from the family's processor, which puts exactly one image token per feature row
     * (and refuses responses holding one), so nothing is read back from the device here; a stray image token
     * without features embeds as id 0.
     */
    @Override
    public Tensor embed(Tensor inputIds, Tensor imageFeatures) {
        Tensor isImage = inputIds.eq(new Scalar(config.imageTokenIndex));
        // The image token may lie outside the embedding table (it did in early LLaVA conversions).
        Tensor safeIds = inputIds.masked_fill(isImage, new Scalar(0));
        Tensor embeds = languageModel.embedTokens().forward(safeIds);
        if (imageFeatures == null) return embeds;
        Tensor mask = isImage.unsqueeze(-1).expand_as(embeds);
        return embeds.masked_scatter(mask, imageFeatures.to(embeds.scalar_type()));
    }

    @Override
    public Tensor decode(Tensor inputsEmbeds, Tensor positionIds, Tensor keyValid, KvCache cache, long readFrom) {
        return languageModel.forward(inputsEmbeds, positionIds, keyValid, cache, readFrom);
    }

    @Override
    public Tensor logits(Tensor hidden) {
        return lmHead == null ? Flops.linear(hidden, languageModel.embedTokens().weight(), null) : lmHead.forward(hidden);
    }
}
