package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

/**
 * A mutable RGB image with float samples in [0, 1], stored planar ({@code channel, y, x}) as torchvision's
 * tensors are, for augmentations that compute in floats. Converting back rounds to the nearest 8-bit level and
 * clamps, as {@code ToPILImage} after a clamp would.
 */
final class FloatImage {
    final int width;
    final int height;
    final float[] data;

    FloatImage(int width, int height) {
        this.width = width;
        this.height = height;
        this.data = new float[3 * width * height];
    }

    static FloatImage of(RgbImage image) {
        FloatImage out = new FloatImage(image.width(), image.height());
        byte[] rgb = image.toByteArray();
        int plane = image.width() * image.height();
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) out.data[c * plane + p] = (rgb[p * 3 + c] & 0xFF) / 255f;
        }
        return out;
    }

    RgbImage toRgbImage() {
        int plane = width * height;
        byte[] rgb = new byte[plane * 3];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                float v = Math.max(0f, Math.min(1f, data[c * plane + p]));
                rgb[p * 3 + c] = (byte) Math.round(v * 255f);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    int plane() {
        return width * height;
    }

    /** ITU-R 601 luma, with torchvision's {@code rgb_to_grayscale} weights. */
    float gray(int p) {
        int plane = plane();
        return 0.2989f * data[p] + 0.587f * data[plane + p] + 0.114f * data[2 * plane + p];
    }
}
