package org.vco4j.data.seva;

import org.vco4j.model.image.ResampleFilter;
import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code RandomResizedCrop} with a given area scale and the default ratio (3/4, 4/3), resized back
 * to the image's own size with Pillow's bilinear filter, so the augmented image keeps its shape. SeVa's
 * RandomResizedCrop uses torchvision's default scale (0.08, 1); MoCo v2 uses (0.2, 1).
 */
public final class RandomResizedCrop implements Augmentation {
    public static final String NAME = "random-resized-crop";
    public static final double MIN_RATIO = 3.0 / 4.0;
    public static final double MAX_RATIO = 4.0 / 3.0;
    public static final int ATTEMPTS = 10;

    private final double minScale;
    private final double maxScale;

    public RandomResizedCrop(double minScale, double maxScale) {
        if (!(0 < minScale && minScale <= maxScale && maxScale <= 1)) {
            throw new IllegalArgumentException("crop scale must satisfy 0 < min <= max <= 1, got " + minScale + ", " + maxScale);
        }
        this.minScale = minScale;
        this.maxScale = maxScale;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        int[] box = box(image.width(), image.height(), random);
        return image.crop(box[0], box[1], box[2], box[3]).resize(image.width(), image.height(), ResampleFilter.BILINEAR);
    }

    /** {@code get_params}: {@code {left, top, width, height}} of the crop window. */
    public int[] box(int width, int height, RandomGenerator random) {
        double area = (double) width * height;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * (minScale + (maxScale - minScale) * random.nextDouble());
            double logRatio = Math.log(MIN_RATIO) + (Math.log(MAX_RATIO) - Math.log(MIN_RATIO)) * random.nextDouble();
            double aspectRatio = Math.exp(logRatio);
            // Python's round() rounds halves to even, as Math.rint does.
            int w = (int) Math.rint(Math.sqrt(targetArea * aspectRatio));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspectRatio));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new int[] {left, top, w, h};
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < MIN_RATIO) {
            h = (int) Math.rint(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            w = (int) Math.rint(h * MAX_RATIO);
        }
        return new int[] {(width - w) / 2, (height - h) / 2, w, h};
    }
}
