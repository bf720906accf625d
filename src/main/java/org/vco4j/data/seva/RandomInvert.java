package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/** torchvision's {@code RandomInvert()} (SeVa Fig. 2): every sample {@code v → 255 − v}, with probability ½. */
public final class RandomInvert implements Augmentation {
    public static final String NAME = "random-invert";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        return random.nextDouble() < 0.5 ? PixelOps.invert(image) : image;
    }
}
