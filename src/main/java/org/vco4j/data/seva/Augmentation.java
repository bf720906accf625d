package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

import java.util.random.RandomGenerator;

/**
 * An image augmentation of SeVa (paper Table 1 / Fig. 2): a random transform that keeps the image's size. All
 * randomness comes from the generator passed in, so a seeded generator gives the same image every time.
 */
public interface Augmentation {
    /** The name a command line and a sample's {@code augmentation} field use. */
    String name();

    /** The augmented image, of the same width and height. */
    RgbImage apply(RgbImage image, RandomGenerator random);
}
