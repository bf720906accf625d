package org.vco4j.model.image;

/** An image's height and width in pixels, as read from its header or its pixels. */
public record ImageDimensions(int height, int width) {
    public ImageDimensions {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("image dimensions must be positive, got " + height + "x" + width);
    }

    public static ImageDimensions of(RgbImage image) {
        return new ImageDimensions(image.height(), image.width());
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
