package org.vco4j.model.processing;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.image.RgbImage;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every image becomes one [3, H, W] input of the tower's size and takes the same number of slots, whatever its
 * own size (LLaVA-1.5, LLaVA-NeXT-Interleave).
 */
public record FixedImagePreprocessor(ImageProcessor imageProcessor, int slotsPerImage) implements ImagePreprocessor {

    @Override
    public int[] slots(List<ImageDimensions> images) {
        int[] slots = new int[images.size()];
        Arrays.fill(slots, slotsPerImage);
        return slots;
    }

    @Override
    public ImageInputs preprocess(List<RgbImage> images) {
        List<Tensor> pixels = new ArrayList<>();
        List<ImageInput> inputs = new ArrayList<>();
        for (RgbImage image : images) {
            pixels.add(imageProcessor.preprocess(image));
            inputs.add(ImageInput.single("image " + (inputs.size() + 1), ImageDimensions.of(image), slotsPerImage));
        }
        return new ImageInputs(Tensors.stack(pixels, 0), inputs);
    }
}
