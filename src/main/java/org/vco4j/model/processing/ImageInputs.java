package org.vco4j.model.processing;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * Preprocessed images as model inputs: the pixel values of all images stacked along the first dimension (each
 * image's {@link ImageInput#rows()} in order; [rows, 3, H, W] for the LLaVA families), and per image what the
 * model needs to place its features.
 */
public record ImageInputs(Tensor pixelValues, List<ImageInput> images) {
    public ImageInputs {
        images = List.copyOf(images);
        long rows = images.stream().mapToLong(ImageInput::rows).sum();
        if (pixelValues.size(0) != rows) {
            throw new IllegalArgumentException("pixel values have " + pixelValues.size(0) + " rows but the images take " + rows);
        }
    }

    /** Image-token slots of all images. */
    public long slots() {
        return images.stream().mapToLong(ImageInput::slots).sum();
    }

    /** The same inputs with the images named (by file name, for errors). */
    public ImageInputs named(List<String> names) {
        if (names.size() != images.size()) throw new IllegalArgumentException(names.size() + " names for " + images.size() + " images");
        List<ImageInput> renamed = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) renamed.add(images.get(i).named(names.get(i)));
        return new ImageInputs(pixelValues, renamed);
    }

    /** The images of several prompts, in order, as one input; null when there are none. */
    public static ImageInputs concat(List<ImageInputs> parts) {
        List<ImageInputs> present = parts.stream().filter(p -> p != null).toList();
        if (present.isEmpty()) return null;
        if (present.size() == 1) return present.get(0);
        List<ImageInput> images = new ArrayList<>();
        List<Tensor> pixels = new ArrayList<>();
        for (ImageInputs part : present) {
            images.addAll(part.images());
            pixels.add(part.pixelValues());
        }
        return new ImageInputs(Tensors.cat(pixels, 0), images);
    }
}
