package org.vco4j.data.seva;

import java.util.List;

/** SeVa's augmentations by name: flip, random-resized-crop, diffusion-weak, diffusion-strong, moco-v2. */
public final class Augmentations {
    /** Names in the order help texts list them. */
    public static final List<String> NAMES = List.of(HorizontalFlip.NAME, RandomResizedCrop.NAME, "diffusion-weak",
            "diffusion-strong", MocoV2.NAME);

    private Augmentations() {}

    /** The augmentation called {@code name}. */
    public static Augmentation named(String name) {
        return switch (name) {
            case HorizontalFlip.NAME -> new HorizontalFlip();
            // torchvision's default scale, as SeVa's RandomResizedCrop.
            case RandomResizedCrop.NAME -> new RandomResizedCrop(0.08, 1.0);
            case "diffusion-weak" -> DiffusionNoise.weak();
            case "diffusion-strong" -> DiffusionNoise.strong();
            case MocoV2.NAME -> new MocoV2();
            default -> throw new IllegalArgumentException("unknown augmentation '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }
}
