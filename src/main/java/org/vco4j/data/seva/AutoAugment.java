package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code AutoAugment(AutoAugmentPolicy.IMAGENET)} (SeVa's "AutoAug"): one of the policy's 25
 * sub-policies drawn uniformly, each of its two operations applied with its probability at its magnitude bin
 * (10 bins; signed magnitudes flip sign on a coin toss), nearest-neighbour warps with a black fill.
 */
public final class AutoAugment implements Augmentation {
    public static final String NAME = "auto-augment";
    private static final int BINS = 10;

    /** One operation of a sub-policy: its name, probability and magnitude bin (-1 for none). */
    private record Op(String name, double probability, int bin) {}

    /** The ImageNet policy, as torchvision lists it. */
    private static final Op[][] IMAGENET = {
            {op("Posterize", 0.4, 8), op("Rotate", 0.6, 9)}, {op("Solarize", 0.6, 5), op("AutoContrast", 0.6, -1)},
            {op("Equalize", 0.8, -1), op("Equalize", 0.6, -1)}, {op("Posterize", 0.6, 7), op("Posterize", 0.6, 6)},
            {op("Equalize", 0.4, -1), op("Solarize", 0.2, 4)}, {op("Equalize", 0.4, -1), op("Rotate", 0.8, 8)},
            {op("Solarize", 0.6, 3), op("Equalize", 0.6, -1)}, {op("Posterize", 0.8, 5), op("Equalize", 1.0, -1)},
            {op("Rotate", 0.2, 3), op("Solarize", 0.6, 8)}, {op("Equalize", 0.6, -1), op("Posterize", 0.4, 6)},
            {op("Rotate", 0.8, 8), op("Color", 0.4, 0)}, {op("Rotate", 0.4, 9), op("Equalize", 0.6, -1)},
            {op("Equalize", 0.0, -1), op("Equalize", 0.8, -1)}, {op("Invert", 0.6, -1), op("Equalize", 1.0, -1)},
            {op("Color", 0.6, 4), op("Contrast", 1.0, 8)}, {op("Rotate", 0.8, 8), op("Color", 1.0, 2)},
            {op("Color", 0.8, 8), op("Solarize", 0.8, 7)}, {op("Sharpness", 0.4, 7), op("Invert", 0.6, -1)},
            {op("ShearX", 0.6, 5), op("Equalize", 1.0, -1)}, {op("Color", 0.4, 0), op("Equalize", 0.6, -1)},
            {op("Equalize", 0.4, -1), op("Solarize", 0.2, 4)}, {op("Solarize", 0.6, 5), op("AutoContrast", 0.6, -1)},
            {op("Invert", 0.6, -1), op("Equalize", 1.0, -1)}, {op("Color", 0.6, 4), op("Contrast", 1.0, 8)},
            {op("Equalize", 0.8, -1), op("Equalize", 0.6, -1)}};

    private static Op op(String name, double probability, int bin) {
        return new Op(name, probability, bin);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        Op[] policy = IMAGENET[random.nextInt(IMAGENET.length)];
        double[] probabilities = {random.nextDouble(), random.nextDouble()};
        boolean[] negative = {random.nextBoolean(), random.nextBoolean()};
        RgbImage out = image;
        for (int i = 0; i < 2; i++) {
            if (probabilities[i] <= policy[i].probability()) out = apply(out, policy[i], negative[i]);
        }
        return out;
    }

    private static RgbImage apply(RgbImage image, Op op, boolean negative) {
        double sign = negative ? -1 : 1;
        return switch (op.name()) {
            case "ShearX" -> PixelOps.shearX(image, sign * linspace(0, 0.3, op.bin()));
            case "Rotate" -> PixelOps.rotate(image, sign * linspace(0, 30, op.bin()));
            case "Color" -> PixelOps.color(image, 1 + sign * linspace(0, 0.9, op.bin()));
            case "Contrast" -> PixelOps.contrast(image, 1 + sign * linspace(0, 0.9, op.bin()));
            case "Sharpness" -> PixelOps.sharpness(image, 1 + sign * linspace(0, 0.9, op.bin()));
            // 8 - round(bin / ((BINS - 1) / 4)): 8, 8, 7, 7, 6, 6, 5, 5, 4, 4
            case "Posterize" -> PixelOps.posterize(image, 8 - (int) Math.rint(op.bin() / ((BINS - 1) / 4.0)));
            case "Solarize" -> PixelOps.solarize(image, linspace(255, 0, op.bin()));
            case "AutoContrast" -> PixelOps.autocontrast(image);
            case "Equalize" -> PixelOps.equalize(image);
            case "Invert" -> PixelOps.invert(image);
            default -> throw new IllegalStateException("no operation " + op.name());
        };
    }

    /** {@code torch.linspace(from, to, BINS)[bin]}. */
    private static double linspace(double from, double to, int bin) {
        return from + (to - from) * bin / (BINS - 1);
    }
}
