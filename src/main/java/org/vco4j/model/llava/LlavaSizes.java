package org.vco4j.model.llava;

import org.vco4j.model.clip.ClipVisionConfig;
import org.vco4j.model.llama.LlamaConfig;

import java.util.List;

/** Configurations of tiny LLaVA checkpoints for tests, benchmarks and the synthetic world. */
public final class LlavaSizes {
    private LlavaSizes() {}

    /** The sizes {@code vco model init --size} accepts. */
    public static final List<String> NAMES = List.of("tiny", "tiny-64", "tiny-576");

    /**
     * @param size "tiny" (32×32 images, 16 image tokens), "tiny-64" (the synthetic world's 64×64 pictures at
     *             full resolution, 64 image tokens, a wider tower: small enough to train on a laptop, sharp enough
     *             to tell a heart from a star) or "tiny-576" (336×336 images in 14-pixel patches, 576 image
     *             tokens: LLaVA-1.5's sequence shape at toy width)
     */
    public static LlavaConfig config(String size, int vocabSize, int imageTokenIndex, int bos, int eos, int pad) {
        int imageSize = switch (size) {
            case "tiny" -> 32;
            case "tiny-64" -> 64;
            case "tiny-576" -> 336;
            default -> throw new IllegalArgumentException("size " + size + ": unknown size (known: " + NAMES + ")");
        };
        boolean wide = size.equals("tiny-64");
        ClipVisionConfig vision = ClipVisionConfig.of(wide ? 64 : 32, wide ? 128 : 64, 2, 2, imageSize, imageSize == 336 ? 14 : 8, 32);
        LlamaConfig text = new LlamaConfig();
        text.vocabSize = vocabSize;
        text.hiddenSize = 64;
        text.intermediateSize = 128;
        text.numHiddenLayers = 2;
        text.numAttentionHeads = 4;
        text.numKeyValueHeads = 2;
        text.maxPositionEmbeddings = 2048;
        text.rmsNormEps = 1e-5;
        text.tieWordEmbeddings = false;
        text.bosTokenId = bos;
        text.eosTokenId = eos;
        text.padTokenId = pad;
        LlavaConfig config = new LlavaConfig();
        config.visionConfig = vision;
        config.textConfig = text;
        config.imageTokenIndex = imageTokenIndex;
        config.imageSeqLength = vision.numPatches();
        config.padTokenId = pad;
        config.torchDtype = "float32";
        config.validate();
        return config;
    }
}
