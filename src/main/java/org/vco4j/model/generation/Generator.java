package org.vco4j.model.generation;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.KvCache;
import org.vco4j.model.NonFiniteOutputException;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.model.processing.PreparedPrompt;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.tensor.Tensors;

import java.util.Arrays;

/**
 * Autoregressive decoding with a key/value cache: the prompt (images included) is decoded once, then
 * each step feeds only the newest token. Every step runs in its own pointer scope, so memory stays flat
 * however long the answer. The image token is never generated (it is a slot for image features, not text).
 */
public record Generator(VisionLanguageModel model, VlmProcessor processor) {

    /**
     * Generated token ids (without the end-of-sequence token) and their text, with how long it took: from the call to
     * the first new token (images encoded, prompt decoded) and in all.
     */
    public record Generation(long[] ids, String text, int promptTokens, double firstTokenSeconds, double seconds) {
        /** New tokens per second after the first one (0 when there was at most one). */
        public double tokensPerSecondAfterFirst() {
            return ids.length > 1 ? (ids.length - 1) / (seconds - firstTokenSeconds) : 0;
        }
    }

    public Generation generate(Context condition, GenerationConfig config) {
        return generate(condition, config, true);
    }

    /**
     * @param useCache false recomputes the whole sequence at every step; it exists to check the cache
     */
    public Generation generate(Context condition, GenerationConfig config, boolean useCache) {
        long started = System.nanoTime();
        long firstToken = -1;
        int promptTokens;
        TokenSampler sampler = new TokenSampler(config, processor.imageTokenId());
        long[] out = new long[config.maxNewTokens()];
        int produced = 0;
        try (NoGradGuard noGrad = new NoGradGuard(); KvCache cache = new KvCache(model.decoderLayers())) {
            Tensor features;
            long[] promptIds;
            ImageInputs images;
            try (PointerScope scope = new PointerScope()) {
                PreparedPrompt prompt = processor.prepare(condition);
                promptIds = prompt.ids();
                promptTokens = promptIds.length;
                images = prompt.images();
                if (images != null) images.pixelValues().retainReference();
                checkLength(promptIds.length, config.maxNewTokens(), model.maxPositions());
                features = prompt.images() == null ? null : model.encodeImages(prompt.images());
                if (features != null) features.retainReference();
            }
            try {
                long[] sequence = promptIds;
                long[] step = promptIds;
                while (produced < config.maxNewTokens()) {
                    int next;
                    try (PointerScope scope = new PointerScope()) {
                        long[] input = useCache ? step : sequence;
                        Tensor ids = Tensors.upload(Tensors.longs(input, 1, input.length), model.parameters().device(), ScalarType.Long);
                        boolean first = !useCache || step == promptIds;
                        Tensor embeds = model.embed(ids, first ? features : null);
                        Tensor positionIds = model.positionIds(ids, first ? images : null, null, useCache ? cache : null);
                        Tensor last = model.logits(model.decode(embeds, positionIds, null, useCache ? cache : null,
                                input.length - 1)); // only the last position's output is read
                        float[] logits = Tensors.toFloatArray(last);
                        requireFinite(logits, condition, produced);
                        next = sampler.next(logits);
                    }
                    if (firstToken < 0) firstToken = System.nanoTime();
                    if (next == processor.endOfSequenceId()) break;
                    out[produced++] = next;
                    sequence = Arrays.copyOf(sequence, sequence.length + 1);
                    sequence[sequence.length - 1] = next;
                    step = new long[] {next};
                }
            } finally {
                if (features != null) features.releaseReference();
                if (images != null) images.pixelValues().releaseReference();
            }
        }
        long[] ids = Arrays.copyOf(out, produced);
        long finished = System.nanoTime();
        return new Generation(ids, processor.decode(ids), promptTokens, (firstToken - started) / 1e9, (finished - started) / 1e9);
    }

    /** Fails when a prompt and the new tokens asked for do not fit in the model's positions. */
    static void checkLength(int promptTokens, int maxNewTokens, int maxPositions) {
        if (promptTokens + maxNewTokens > maxPositions) {
            throw new IllegalArgumentException("prompt of " + promptTokens + " tokens (images included) + "
                    + maxNewTokens + " new tokens exceeds the model's maximum of " + maxPositions + " positions");
        }
    }

    /** NaN or infinite logits would decode to garbage or nothing; names the prompt and the token. */
    static void requireFinite(float[] logits, Context condition, int produced) {
        for (float v : logits) {
            if (!Float.isFinite(v)) {
                String prompt = condition.prompt();
                if (prompt.length() > 60) prompt = prompt.substring(0, 57) + "...";
                throw new NonFiniteOutputException("generating for prompt \"" + prompt.replace("\n", "\\n")
                        + "\": the logits of new token " + (produced + 1) + " are not finite (" + v
                        + "); do the model's weights hold NaN or infinite values?");
            }
        }
    }
}
