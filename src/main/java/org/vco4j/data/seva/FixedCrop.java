package org.vco4j.data.seva;

import org.vco4j.model.image.ResampleFilter;
import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code CenterCrop} and {@code RandomCrop} (SeVa Fig. 2) with a window of {@code fraction} of each
 * side, resized back to the image's size with Pillow's bilinear filter so the augmented image keeps its shape.
 * SeVa does not give its crop size; the default {@value #DEFAULT_FRACTION} is ImageNet's 224 of 256.
 */
public final class FixedCrop implements Augmentation {
    public static final String CENTER = "center-crop";
    public static final String RANDOM = "random-crop";
    public static final double DEFAULT_FRACTION = 0.875;

    private final String name;
    private final boolean random;
    private final double fraction;

    public FixedCrop(String name, boolean random, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException(name + ": crop fraction must be in (0, 1], got " + fraction);
        this.name = name;
        this.random = random;
        this.fraction = fraction;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator generator) {
        int w = image.width();
        int h = image.height();
        int cw = Math.max(1, (int) Math.rint(w * fraction));
        int ch = Math.max(1, (int) Math.rint(h * fraction));
        int left = random ? generator.nextInt(w - cw + 1) : (int) Math.rint((w - cw) / 2.0);
        int top = random ? generator.nextInt(h - ch + 1) : (int) Math.rint((h - ch) / 2.0);
        return image.crop(left, top, cw, ch).resize(w, h, ResampleFilter.BILINEAR);
    }
}
