package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * SeVa's augmentations by name (paper Table 1 and Fig. 2), a strength after a colon where one applies:
 * <ul>
 *   <li>Table 1: {@code flip} (RandFlip), {@code random-resized-crop[:MIN_SCALE]} (RRCrop, scale (0.08, 1)),
 *       {@code auto-augment} (AutoAug, ImageNet policy), {@code diffusion-weak} (step 500), {@code diffusion-strong}
 *       (step 800) and {@code diffusion:STEP} (any step of the 1000), {@code moco-v2} (MOCO);</li>
 *   <li>Fig. 2: {@code random-crop[:FRACTION]}, {@code center-crop[:FRACTION]}, {@code random-affine[:DEGREES]},
 *       {@code random-invert}, {@code simclr}, {@code byol}, {@code byol-prime};</li>
 *   <li>the recipes' ingredients alone: {@code color-jitter[:S]}, {@code grayscale}, {@code gaussian-blur[:SIGMA]}.</li>
 * </ul>
 * An augmentation's {@link Augmentation#name()} is the name it was asked for, strength included, so a sample's
 * {@code augmentation} field says exactly what produced it.
 */
public final class Augmentations {
    public static final String DIFFUSION = "diffusion";

    /** Names in the order help texts list them (each with its default strength). */
    public static final List<String> NAMES = List.of(HorizontalFlip.NAME, RandomResizedCrop.NAME, AutoAugment.NAME,
            "diffusion-weak", "diffusion-strong", ContrastiveViews.MOCO_V2, FixedCrop.RANDOM, FixedCrop.CENTER, RandomAffine.NAME,
            RandomInvert.NAME, ContrastiveViews.SIMCLR, ContrastiveViews.BYOL, ContrastiveViews.BYOL_PRIME,
            ContrastiveViews.COLOR_JITTER, ContrastiveViews.GRAYSCALE, ContrastiveViews.GAUSSIAN_BLUR);

    private Augmentations() {}

    /** The augmentation called {@code name}, e.g. {@code diffusion:650} or {@code center-crop:0.75}. */
    public static Augmentation named(String name) {
        int colon = name.indexOf(':');
        String base = colon < 0 ? name : name.substring(0, colon);
        String strength = colon < 0 ? null : name.substring(colon + 1);
        if (strength != null && !STRENGTHS.contains(base)) {
            throw new IllegalArgumentException("augmentation '" + name + "': " + base + " takes no strength");
        }
        return switch (base) {
            case HorizontalFlip.NAME -> new HorizontalFlip();
            // torchvision's default scale, as SeVa's RandomResizedCrop.
            case RandomResizedCrop.NAME -> strength == null ? new RandomResizedCrop(0.08, 1.0)
                    : renamed(name, new RandomResizedCrop(number(name, strength), 1.0));
            case AutoAugment.NAME -> new AutoAugment();
            case "diffusion-weak" -> DiffusionNoise.weak();
            case "diffusion-strong" -> DiffusionNoise.strong();
            case DIFFUSION -> {
                if (strength == null) throw new IllegalArgumentException("augmentation 'diffusion' needs its step: diffusion:STEP (0-999)");
                double step = number(name, strength);
                if (step != Math.rint(step)) throw new IllegalArgumentException("augmentation '" + name + "': the step must be a whole number");
                yield new DiffusionNoise(name, (int) step);
            }
            case ContrastiveViews.MOCO_V2 -> ContrastiveViews.mocoV2();
            case ContrastiveViews.SIMCLR -> ContrastiveViews.simclr();
            case ContrastiveViews.BYOL -> ContrastiveViews.byol(false);
            case ContrastiveViews.BYOL_PRIME -> ContrastiveViews.byol(true);
            case FixedCrop.RANDOM, FixedCrop.CENTER -> new FixedCrop(name, base.equals(FixedCrop.RANDOM),
                    strength == null ? FixedCrop.DEFAULT_FRACTION : number(name, strength));
            case RandomAffine.NAME -> new RandomAffine(name, strength == null ? RandomAffine.DEFAULT_DEGREES : number(name, strength));
            case RandomInvert.NAME -> new RandomInvert();
            case ContrastiveViews.COLOR_JITTER -> ContrastiveViews.colorJitter(name, strength == null ? 0.5 : number(name, strength));
            case ContrastiveViews.GRAYSCALE -> ContrastiveViews.grayscale();
            case ContrastiveViews.GAUSSIAN_BLUR -> ContrastiveViews.gaussianBlur(name, strength == null ? Double.NaN : number(name, strength));
            default -> throw new IllegalArgumentException("unknown augmentation '" + name + "'; known: " + String.join(", ", NAMES)
                    + ", diffusion:STEP");
        };
    }

    /** The names that take a strength after a colon. */
    private static final List<String> STRENGTHS = List.of(RandomResizedCrop.NAME, DIFFUSION, FixedCrop.RANDOM, FixedCrop.CENTER,
            RandomAffine.NAME, ContrastiveViews.COLOR_JITTER, ContrastiveViews.GAUSSIAN_BLUR);

    private static double number(String name, String strength) {
        try {
            return Double.parseDouble(strength);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("augmentation '" + name + "': strength '" + strength + "' is not a number");
        }
    }

    private static Augmentation renamed(String name, Augmentation augmentation) {
        return new Augmentation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public RgbImage apply(RgbImage image, RandomGenerator random) {
                return augmentation.apply(image, random);
            }
        };
    }
}
