package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * SeVa's diffusion noise (the forward process of a 1000-step diffusion model, as in VCD's
 * {@code add_diffusion_noise}): {@code β_i = sigmoid(linspace(−6, 6, 1000))_i · (5e-3 − 1e-5) + 1e-5},
 * {@code ᾱ_t = Π_{i≤t} (1 − β_i)} (0-based {@code i}), {@code x_t = √ᾱ_t · x + √(1 − ᾱ_t) · ε}, ε standard normal.
 *
 * <p>SeVa noises the model's normalized pixel tensor and feeds it on; here the result must be an image file, so
 * each channel is normalized with CLIP's mean and standard deviation (the LLaVA-1.5 vision tower's), noised,
 * mapped back with the same constants, clamped to [0, 1] and rounded to 8 bits. The clamp and the rounding are
 * the only differences from noising the tensor directly: in normalized units the noise has the paper's scale.
 */
public final class DiffusionNoise implements Augmentation {
    public static final int STEPS = 1000;
    public static final int WEAK_STEP = 500;
    public static final int STRONG_STEP = 800;
    /** CLIP's (OpenAI) image mean and standard deviation per channel. */
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final String name;
    private final int step;

    public DiffusionNoise(String name, int step) {
        if (step < 0 || step >= STEPS) throw new IllegalArgumentException("diffusion step must be in 0.." + (STEPS - 1) + ", got " + step);
        this.name = name;
        this.step = step;
    }

    public static DiffusionNoise weak() {
        return new DiffusionNoise("diffusion-weak", WEAK_STEP);
    }

    public static DiffusionNoise strong() {
        return new DiffusionNoise("diffusion-strong", STRONG_STEP);
    }

    @Override
    public String name() {
        return name;
    }

    /** {@code ᾱ_t} for step {@code t}. */
    public static double alphaBar(int t) {
        double product = 1;
        for (int i = 0; i <= t; i++) {
            double x = -6 + 12.0 * i / (STEPS - 1);
            double beta = 1 / (1 + Math.exp(-x)) * (5e-3 - 1e-5) + 1e-5;
            product *= 1 - beta;
        }
        return product;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        double alphaBar = alphaBar(step);
        float keep = (float) Math.sqrt(alphaBar);
        float noise = (float) Math.sqrt(1 - alphaBar);
        FloatImage x = FloatImage.of(image);
        int plane = x.plane();
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < plane; p++) {
                int i = c * plane + p;
                float normalized = (x.data[i] - MEAN[c]) / STD[c];
                float noised = keep * normalized + noise * (float) random.nextGaussian();
                x.data[i] = noised * STD[c] + MEAN[c];
            }
        }
        return x.toRgbImage();
    }
}
