package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * torchvision's {@code RandomAffine(degrees)} (SeVa Fig. 2): a rotation by an angle uniform in
 * {@code [−degrees, degrees]} about the centre, nearest neighbour, black outside (its defaults; no translation,
 * scale or shear). SeVa does not give the range; the default is {@value #DEFAULT_DEGREES}°.
 */
public final class RandomAffine implements Augmentation {
    public static final String NAME = "random-affine";
    public static final double DEFAULT_DEGREES = 30;

    private final String name;
    private final double degrees;

    public RandomAffine(String name, double degrees) {
        if (!(degrees > 0 && degrees <= 180)) throw new IllegalArgumentException(name + ": degrees must be in (0, 180], got " + degrees);
        this.name = name;
        this.degrees = degrees;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RgbImage apply(RgbImage image, RandomGenerator random) {
        double angle = -degrees + 2 * degrees * random.nextDouble();
        return PixelOps.rotate(image, -angle); // torchvision's affine turns clockwise, Pillow's rotate counter-clockwise
    }
}
