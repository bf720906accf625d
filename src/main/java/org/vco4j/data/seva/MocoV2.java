package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * The MoCo v2 augmentation mix that SeVa tries: {@code RandomResizedCrop(scale=(0.2, 1))} (back to the image's
 * size), {@code ColorJitter(0.4, 0.4, 0.4, 0.1)} with probability 0.8, {@code RandomGrayscale(p=0.2)}, Gaussian
 * blur with σ uniform in [0.1, 2] with probability 0.5, and {@code RandomHorizontalFlip}, in that order.
 */
public final class MocoV2 implements Augmentation {
    public static final String NAME = "moco-v2";
    private static final RandomResizedCrop CROP = new RandomResizedCrop(0.2, 1.0);
    private static final ColorJitter JITTER = new ColorJitter(0.4, 0.4, 0.4, 0.1);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        FloatImage x = FloatImage.of(CROP.apply(image, random));
        if (random.nextDouble() < 0.8) JITTER.apply(x, random);
        if (random.nextDouble() < 0.2) {
            int plane = x.plane();
            for (int p = 0; p < plane; p++) {
                float gray = x.gray(p);
                for (int c = 0; c < 3; c++) x.data[c * plane + p] = gray;
            }
        }
        if (random.nextDouble() < 0.5) GaussianBlur.apply(x, 0.1 + 1.9 * random.nextDouble());
        RgbImage out = x.toRgbImage();
        return random.nextDouble() < 0.5 ? HorizontalFlip.mirror(out) : out;
    }
}
