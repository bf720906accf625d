package org.vco4j.model.lora;

import org.vco4j.testing.TestImages;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.llava.LlavaForConditionalGeneration;
import org.vco4j.model.llava.LlavaSizes;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.tensor.Tensors;

import java.util.SplittableRandom;

/** Tiny LLaVA models and fixed inputs for the LoRA tests. */
public final class LoraTesting {
    static final int IMAGE_TOKEN = 4;

    private LoraTesting() {}

    /** A random tiny LLaVA (2 CLIP layers, 2 Llama layers of width 64, vocabulary 50). */
    public static LlavaForConditionalGeneration tinyModel(long seed) {
        LlavaForConditionalGeneration model = new LlavaForConditionalGeneration(ParameterFactory.cpuFloat32(),
                LlavaSizes.config("tiny", 50, IMAGE_TOKEN, 1, 2, 3));
        RandomInit.apply(model, seed, 0.2);
        return model;
    }

    /**
     * Logits [1, 24, vocab] for one fixed 32×32 image and a short text: the image runs through the vision
     * tower and projector, the text through the decoder, so every part of the model counts. Detached and
     * retained by the caller's scope.
     */
    public static Tensor logits(VisionLanguageModel model) {
        try (NoGradGuard noGrad = new NoGradGuard()) {
            return forward(model);
        }
    }

    /** As {@link #logits} under the current autograd mode. */
    public static Tensor forward(VisionLanguageModel model) {
        Tensor pixels = values(3 * 32 * 32, 99, 1.0).reshape(1, 3, 32, 32);
        long[] ids = new long[24];
        for (int i = 0; i < ids.length; i++) ids[i] = 5 + (i * 7) % 40;
        ids[0] = 1;
        for (int i = 2; i < 18; i++) ids[i] = IMAGE_TOKEN;
        Tensor features = model.encodeImages(TestImages.inputs(pixels, 16));
        Tensor embeds = model.embed(Tensors.longs(ids, 1, ids.length), features);
        return model.logits(model.decode(embeds, null, null));
    }

    /** Gives every lora_B random values, so the adapters change the output. */
    public static void randomizeB(LoraAdapters adapters, long seed) {
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            long salt = 0;
            for (var e : adapters.trainableParameters().entrySet()) {
                if (!e.getKey().endsWith("lora_B.weight")) continue;
                Tensor b = e.getValue();
                b.copy_(values(b.numel(), seed * 1000 + salt++, 0.3).reshape(b.sizes().vec().get()));
            }
        }
    }

    /** Deterministic normal-ish values (sum of uniforms), float32 1-D. */
    static Tensor values(long n, long seed, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() + random.nextDouble() - 1) * scale);
        return Tensors.floats(v);
    }
}
