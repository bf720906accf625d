package org.vco4j.testing;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;

import java.util.ArrayList;
import java.util.List;

/** Model image inputs from raw pixel values, for tests that feed a model directly. */
public final class TestImages {
    private TestImages() {}

    /** One image per row of {@code pixels} [N, 3, H, W], each taking {@code slots} image tokens. */
    public static ImageInputs inputs(Tensor pixels, int slots) {
        List<ImageInput> images = new ArrayList<>();
        for (int i = 0; i < pixels.size(0); i++) {
            images.add(ImageInput.single("image " + (i + 1), new ImageDimensions((int) pixels.size(2), (int) pixels.size(3)), slots));
        }
        return new ImageInputs(pixels, images);
    }
}
