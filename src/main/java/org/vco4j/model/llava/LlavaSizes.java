package org.vco4j.model.llava;

import org.vco4j.model.clip.ClipVisionConfig;
import org.vco4j.model.llama.DecoderConfig;
import org.vco4j.model.llama.LlamaConfig;
import org.vco4j.model.qwen2.Qwen2Config;
import org.vco4j.model.siglip.SiglipVisionConfig;

import java.util.List;

/** Configurations of tiny LLaVA checkpoints for tests, benchmarks and the synthetic world. */
public final class LlavaSizes {
    private LlavaSizes() {}

    /** The sizes {@code vco model init --size} accepts. */
    public static final List<String> NAMES = List.of("tiny", "tiny-64", "tiny-576", "tiny-interleave");

    /** The LLaVA-NeXT-Interleave size: SigLIP tower, Qwen2 decoder, ChatML. */
    public static final String INTERLEAVE = "tiny-interleave";

    /** Whether {@code size} is a LLaVA-NeXT-Interleave size (SigLIP + Qwen2) rather than LLaVA-1.5's (CLIP + Llama). */
    public static boolean isInterleave(String size) {
        return INTERLEAVE.equals(size);
    }

    /**
     * LLaVA-NeXT-Interleave (llava-interleave-qwen-0.5b-hf) at toy width: a 2-layer SigLIP tower without head on
     * 56×56 images in 14-pixel patches (4×4 = 16 image tokens, strategy "full" as SigLIP has no class token,
     * features of the last layer), a GELU projector and a 2-layer Qwen2 decoder (q/k/v biases, tied embeddings).
     */
    public static LlavaConfig interleave(int vocabSize, int imageTokenIndex, int bos, int eos, int pad) {
        return config(INTERLEAVE, vocabSize, imageTokenIndex, bos, eos, pad);
    }

    /**
     * @param size "tiny" (32×32 images, 16 image tokens), "tiny-64" (the synthetic world's 64×64 pictures at
     *             full resolution, 64 image tokens, a wider tower: small enough to train on a laptop, sharp enough
     *             to tell a heart from a star), "tiny-576" (336×336 images in 14-pixel patches, 576 image
     *             tokens: LLaVA-1.5's sequence shape at toy width) or "tiny-interleave" (see {@link #interleave})
     */
    public static LlavaConfig config(String size, int vocabSize, int imageTokenIndex, int bos, int eos, int pad) {
        int imageSize = switch (size) {
            case "tiny" -> 32;
            case "tiny-64" -> 64;
            case "tiny-576" -> 336;
            case INTERLEAVE -> 56;
            default -> throw new IllegalArgumentException("size " + size + ": unknown size (known: " + NAMES + ")");
        };
        boolean wide = size.equals("tiny-64");
        LlavaConfig config = new LlavaConfig();
        DecoderConfig text;
        if (isInterleave(size)) {
            SiglipVisionConfig siglip = SiglipVisionConfig.of(32, 64, 2, 2, imageSize, 14);
            config.visionConfig = siglip;
            config.imageSeqLength = siglip.numPatches();
            config.visionFeatureLayer = -1;
            config.visionFeatureSelectStrategy = "full";
            Qwen2Config qwen2 = new Qwen2Config();
            qwen2.maxWindowLayers = 2;
            qwen2.slidingWindow = 2048;
            qwen2.ropeTheta = 1000000.0;
            qwen2.tieWordEmbeddings = true;
            qwen2.bosTokenId = bos;
            qwen2.eosTokenId = eos;
            text = tinyDecoder(qwen2, vocabSize, 4, 1e-6);
        } else {
            ClipVisionConfig clip = ClipVisionConfig.of(wide ? 64 : 32, wide ? 128 : 64, 2, 2, imageSize, imageSize == 336 ? 14 : 8, 32);
            config.visionConfig = clip;
            config.imageSeqLength = clip.numPatches();
            LlamaConfig llama = new LlamaConfig();
            llama.tieWordEmbeddings = false;
            llama.bosTokenId = bos;
            llama.eosTokenId = eos;
            llama.padTokenId = pad;
            text = tinyDecoder(llama, vocabSize, 2, 1e-5);
        }
        config.textConfig = text;
        config.imageTokenIndex = imageTokenIndex;
        config.padTokenId = pad;
        config.torchDtype = "float32";
        config.validate();
        return config;
    }

    /** The toy decoder every tiny size shares: width 64, 2 layers, 4 heads. */
    private static DecoderConfig tinyDecoder(DecoderConfig text, int vocabSize, int keyValueHeads, double rmsNormEps) {
        text.vocabSize = vocabSize;
        text.hiddenSize = 64;
        text.intermediateSize = 128;
        text.numHiddenLayers = 2;
        text.numAttentionHeads = 4;
        text.numKeyValueHeads = keyValueHeads;
        text.maxPositionEmbeddings = 2048;
        text.rmsNormEps = rmsNormEps;
        return text;
    }
}
