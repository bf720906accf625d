package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/** torchvision's {@code RandomHorizontalFlip} (probability ½), and the deterministic mirror it applies. */
public final class HorizontalFlip implements Augmentation {
    public static final String NAME = "flip";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        return random.nextDouble() < 0.5 ? mirror(image) : image;
    }

    /** The image mirrored left to right: pixel column x goes to width − 1 − x. */
    public static RgbImage mirror(RgbImage image) {
        int w = image.width();
        byte[] in = image.toByteArray();
        byte[] out = new byte[in.length];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) System.arraycopy(in, (y * w + x) * 3, out, (y * w + w - 1 - x) * 3, 3);
        }
        return new RgbImage(w, image.height(), out);
    }
}
