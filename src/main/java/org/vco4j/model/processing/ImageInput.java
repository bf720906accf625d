package org.vco4j.model.processing;

import org.vco4j.model.image.ImageDimensions;

/**
 * What a model needs to know about one image of its input beyond the pixels.
 *
 * @param name       how errors name the image (its file name; "image N" when it has none)
 * @param original   the image's size before preprocessing
 * @param rows       rows of {@link ImageInputs#pixelValues()} that hold this image (tiles, or patches)
 * @param slots      image-token slots the processor gave the image in the prompt: the model must make exactly
 *                   this many feature rows from it
 * @param gridHeight the family's grid over the image (LLaVA-OneVision: tile rows, 0 when the image is not
 *                   tiled; unused otherwise)
 * @param gridWidth  the grid's columns
 */
public record ImageInput(String name, ImageDimensions original, int rows, int slots, int gridHeight, int gridWidth) {

    /** An image that takes one row of pixel values and no grid. */
    public static ImageInput single(String name, ImageDimensions original, int slots) {
        return new ImageInput(name, original, 1, slots, 0, 0);
    }

    public ImageInput named(String newName) {
        return new ImageInput(newName, original, rows, slots, gridHeight, gridWidth);
    }

    /** Fails when a model made another number of feature rows than the prompt has slots for this image. */
    public void checkFeatures(long featureRows) {
        if (featureRows != slots) {
            throw new IllegalStateException(name + " (" + original + "): the processor gave it " + slots
                    + " image tokens but the model made " + featureRows + " feature rows");
        }
    }
}
