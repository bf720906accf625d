package org.vco4j.model.processing;

import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.RgbImage;

import java.util.List;

/**
 * A family's image processor seen from the prompt: how many image-token slots each image of one prompt takes, and
 * the images as model inputs. The slot count must depend on the images' dimensions alone, so that prompt lengths
 * can be checked from image headers before any pixel is decoded or any weight is loaded; the model must make
 * exactly that many feature rows per image ({@link ImageInput#checkFeatures}).
 */
public interface ImagePreprocessor {

    /** Image-token slots of each image of one prompt (all the prompt's images, in order). */
    int[] slots(List<ImageDimensions> images);

    /** One prompt's images (all of them, in order) as model inputs. */
    ImageInputs preprocess(List<RgbImage> images);
}
