package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * The view recipes of contrastive self-supervised learning that SeVa tries (Fig. 2, Table 1), and their single
 * ingredients: a random resized crop, colour jitter with probability {@code p_jitter}, grayscale with
 * {@code p_gray}, Gaussian blur (σ uniform in [0.1, 2], or fixed) with {@code p_blur}, solarization (threshold ½)
 * with {@code p_solarize}, and a horizontal flip with probability ½, in that order. (The papers flip right after
 * the crop; a flip commutes with the pointwise steps and the symmetric blur, so the distribution is the same.)
 * Each step draws its coin only when its probability is neither 0 nor 1.
 * <ul>
 *   <li>{@code moco-v2}: crop (0.2, 1), jitter (0.4, 0.4, 0.4, 0.1) p 0.8, gray 0.2, blur 0.5, flip;</li>
 *   <li>{@code simclr}: crop (0.08, 1), jitter (0.8, 0.8, 0.8, 0.2) p 0.8, gray 0.2, blur 0.5, flip;</li>
 *   <li>{@code byol}: crop (0.08, 1), jitter (0.4, 0.4, 0.2, 0.1) p 0.8, gray 0.2, blur 1.0, no solarization, flip
 *       (BYOL's first view {@code T}); {@code byol-prime}: the same with blur 0.1, solarization 0.2 ({@code T'});</li>
 *   <li>{@code color-jitter[:S]}: jitter (0.8 S, 0.8 S, 0.8 S, 0.2 S) always, SimCLR's parametrisation (default S = ½,
 *       MoCo v2's strength); {@code grayscale}: always; {@code gaussian-blur[:SIGMA]}: always, σ fixed or uniform in
 *       [0.1, 2].</li>
 * </ul>
 */
public final class ContrastiveViews implements Augmentation {
    public static final String MOCO_V2 = "moco-v2";
    public static final String SIMCLR = "simclr";
    public static final String BYOL = "byol";
    public static final String BYOL_PRIME = "byol-prime";
    public static final String COLOR_JITTER = "color-jitter";
    public static final String GRAYSCALE = "grayscale";
    public static final String GAUSSIAN_BLUR = "gaussian-blur";

    private final String name;
    private final RandomResizedCrop crop;
    private final ColorJitter jitter;
    private final double jitterProbability;
    private final double grayProbability;
    private final double blurProbability;
    private final double sigma;
    private final double solarizeProbability;
    private final boolean flip;

    private ContrastiveViews(String name, RandomResizedCrop crop, ColorJitter jitter, double jitterProbability,
                             double grayProbability, double blurProbability, double sigma, double solarizeProbability,
                             boolean flip) {
        this.name = name;
        this.crop = crop;
        this.jitter = jitter;
        this.jitterProbability = jitterProbability;
        this.grayProbability = grayProbability;
        this.blurProbability = blurProbability;
        this.sigma = sigma;
        this.solarizeProbability = solarizeProbability;
        this.flip = flip;
    }

    public static ContrastiveViews mocoV2() {
        return new ContrastiveViews(MOCO_V2, new RandomResizedCrop(0.2, 1.0), new ColorJitter(0.4, 0.4, 0.4, 0.1), 0.8, 0.2, 0.5,
                Double.NaN, 0, true);
    }

    public static ContrastiveViews simclr() {
        return new ContrastiveViews(SIMCLR, new RandomResizedCrop(0.08, 1.0), new ColorJitter(0.8, 0.8, 0.8, 0.2), 0.8, 0.2, 0.5,
                Double.NaN, 0, true);
    }

    /** BYOL's view {@code T} ({@code prime} false) or {@code T'}. */
    public static ContrastiveViews byol(boolean prime) {
        return new ContrastiveViews(prime ? BYOL_PRIME : BYOL, new RandomResizedCrop(0.08, 1.0), new ColorJitter(0.4, 0.4, 0.2, 0.1),
                0.8, 0.2, prime ? 0.1 : 1.0, Double.NaN, prime ? 0.2 : 0, true);
    }

    /** Colour jitter alone at SimCLR's strength {@code s}, always applied; the name carries the strength. */
    public static ContrastiveViews colorJitter(String name, double s) {
        if (!(s > 0 && s <= 1.25)) throw new IllegalArgumentException(name + ": jitter strength must be in (0, 1.25], got " + s);
        return new ContrastiveViews(name, null, new ColorJitter(0.8 * s, 0.8 * s, 0.8 * s, 0.2 * s), 1, 0, 0, Double.NaN, 0, false);
    }

    public static ContrastiveViews grayscale() {
        return new ContrastiveViews(GRAYSCALE, null, null, 0, 1, 0, Double.NaN, 0, false);
    }

    /** Gaussian blur alone, always applied, with a fixed σ in pixels (NaN: uniform in [0.1, 2] per image). */
    public static ContrastiveViews gaussianBlur(String name, double sigma) {
        if (!Double.isNaN(sigma) && !(sigma > 0)) throw new IllegalArgumentException(name + ": σ must be positive, got " + sigma);
        return new ContrastiveViews(name, null, null, 0, 0, 1, sigma, 0, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        FloatImage x = FloatImage.of(crop == null ? image : crop.apply(image, random));
        if (happens(jitterProbability, random)) jitter.apply(x, random);
        if (happens(grayProbability, random)) toGray(x);
        if (happens(blurProbability, random)) GaussianBlur.apply(x, Double.isNaN(sigma) ? 0.1 + 1.9 * random.nextDouble() : sigma);
        if (happens(solarizeProbability, random)) {
            for (int i = 0; i < x.data.length; i++) if (x.data[i] >= 0.5f) x.data[i] = 1 - x.data[i];
        }
        RgbImage out = x.toRgbImage();
        return flip && random.nextDouble() < 0.5 ? HorizontalFlip.mirror(out) : out;
    }

    /** A step with probability 0 or 1 draws nothing, so a recipe's draws do not depend on the steps it lacks. */
    private static boolean happens(double probability, RandomGenerator random) {
        if (probability <= 0) return false;
        if (probability >= 1) return true;
        return random.nextDouble() < probability;
    }

    private static void toGray(FloatImage x) {
        int plane = x.plane();
        for (int p = 0; p < plane; p++) {
            float gray = x.gray(p);
            for (int c = 0; c < 3; c++) x.data[c * plane + p] = gray;
        }
    }
}
