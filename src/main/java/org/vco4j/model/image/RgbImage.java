package org.vco4j.model.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An immutable 8-bit RGB image in Java memory, stored interleaved and row-major ({@code r, g, b} per
 * pixel). Every step that Pillow performs on 8-bit data before the float conversion (padding to a
 * square, resampling, centre cropping) is done on this type, so rounding matches step by step.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    /** Copies {@code rgb}, which holds {@code width * height * 3} interleaved samples. */
    public RgbImage(int width, int height, byte[] rgb) {
        this(width, height, rgb.clone(), true);
    }

    // Takes the array as is; the flag only tells this constructor apart from the copying one.
    private RgbImage(int width, int height, byte[] rgb, boolean owned) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException(width + "x" + height + " RGB image needs " + (long) width * height * 3
                    + " samples but " + rgb.length + " were given");
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    /** Takes ownership of {@code rgb} without copying; callers in this package must not keep it. */
    static RgbImage wrap(int width, int height, byte[] rgb) {
        return new RgbImage(width, height, rgb, true);
    }

    /** An image of one colour. */
    public static RgbImage filled(int width, int height, int red, int green, int blue) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        byte[] data = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        fill(data, checkLevel(red), checkLevel(green), checkLevel(blue));
        return wrap(width, height, data);
    }

    /**
     * Converts any {@link BufferedImage} the way Pillow's {@code Image.convert("RGB")} would convert the
     * same file: alpha is dropped (not composited), grey is replicated, palettes are looked up.
     */
    public static RgbImage of(BufferedImage image) {
        return RgbConverter.convert(image);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Sample {@code channel} (0 red, 1 green, 2 blue) of pixel (x, y), in 0..255. */
    public int get(int x, int y, int channel) {
        if (x < 0 || x >= width || y < 0 || y >= height || channel < 0 || channel > 2) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ", " + channel + ") outside " + width + "x" + height + "x3");
        }
        return rgb[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** A copy of the interleaved samples. */
    public byte[] toByteArray() {
        return rgb.clone();
    }

    /** Direct access for the resampler and the processor; never handed outside the package. */
    byte[] data() {
        return rgb;
    }

    /** A {@code TYPE_INT_RGB} copy. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                row[x] = (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | (rgb[i + 2] & 0xFF);
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    /** Resamples to {@code newWidth x newHeight} exactly as Pillow's {@code Image.resize} does. */
    public RgbImage resize(int newWidth, int newHeight, ResampleFilter filter) {
        return Resampler.resize(this, newWidth, newHeight, filter);
    }

    /**
     * Crops a {@code cropHeight x cropWidth} window from the centre as transformers'
     * {@code center_crop} does: the window starts at {@code (size - crop) // 2} (floor), and an image
     * smaller than the window is first zero-padded, centred with {@code ceil(diff / 2)} before it.
     */
    public RgbImage centerCrop(int cropHeight, int cropWidth) {
        if (cropHeight <= 0 || cropWidth <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + cropHeight + "x" + cropWidth);
        }
        int top = Math.floorDiv(height - cropHeight, 2);
        int left = Math.floorDiv(width - cropWidth, 2);
        if (top >= 0 && left >= 0) {
            return window(this, top, left, cropHeight, cropWidth);
        }
        // Too small in some direction: pad with zeros to at least the crop size, then crop.
        int paddedHeight = Math.max(cropHeight, height);
        int paddedWidth = Math.max(cropWidth, width);
        int topPad = (paddedHeight - height + 1) / 2;
        int leftPad = (paddedWidth - width + 1) / 2;
        byte[] padded = new byte[paddedHeight * paddedWidth * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgb, y * width * 3, padded, ((y + topPad) * paddedWidth + leftPad) * 3, width * 3);
        }
        RgbImage canvas = wrap(paddedWidth, paddedHeight, padded);
        // transformers clips the shifted window to the padded canvas, which always fits here.
        return window(canvas, Math.max(0, top + topPad), Math.max(0, left + leftPad), cropHeight, cropWidth);
    }

    /**
     * The {@code width x height} window whose top-left pixel is ({@code left}, {@code top}), as Pillow's
     * {@code Image.crop((left, top, left + width, top + height))} for a window inside the image.
     */
    public RgbImage crop(int left, int top, int width, int height) {
        if (width <= 0 || height <= 0 || left < 0 || top < 0 || left + width > this.width || top + height > this.height) {
            throw new IllegalArgumentException("crop window " + width + "x" + height + " at (" + left + ", " + top
                    + ") does not lie inside the " + this.width + "x" + this.height + " image");
        }
        return window(this, top, left, height, width);
    }

    /**
     * LLaVA's {@code expand2square}: a square canvas of side {@code max(width, height)} filled with the
     * background colour, with this image pasted at {@code ((side - width) // 2, (side - height) // 2)}.
     * A square image is returned unchanged.
     */
    public RgbImage expandToSquare(int red, int green, int blue) {
        if (width == height) {
            return this;
        }
        int side = Math.max(width, height);
        byte[] canvas = new byte[side * side * 3];
        fill(canvas, checkLevel(red), checkLevel(green), checkLevel(blue));
        int left = (side - width) / 2;
        int top = (side - height) / 2;
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgb, y * width * 3, canvas, ((y + top) * side + left) * 3, width * 3);
        }
        return wrap(side, side, canvas);
    }

    /**
     * The image with {@code top}, {@code bottom}, {@code left} and {@code right} rows and columns of one colour
     * added around it, as numpy's {@code np.pad(image, ((top, bottom), (left, right), (0, 0)), constant_values=...)}
     * on 8-bit samples.
     */
    public RgbImage pad(int top, int bottom, int left, int right, int red, int green, int blue) {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("padding must not be negative, got " + top + ", " + bottom + ", " + left + ", " + right);
        }
        if (top == 0 && bottom == 0 && left == 0 && right == 0) return this;
        int w = width + left + right;
        int h = height + top + bottom;
        byte[] canvas = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        fill(canvas, checkLevel(red), checkLevel(green), checkLevel(blue));
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgb, y * width * 3, canvas, ((y + top) * w + left) * 3, width * 3);
        }
        return wrap(w, h, canvas);
    }

    private static RgbImage window(RgbImage source, int top, int left, int h, int w) {
        if (top == 0 && left == 0 && h == source.height && w == source.width) {
            return source;
        }
        byte[] out = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(source.rgb, ((top + y) * source.width + left) * 3, out, y * w * 3, w * 3);
        }
        return wrap(w, h, out);
    }

    private static void fill(byte[] data, int red, int green, int blue) {
        for (int i = 0; i < data.length; i += 3) {
            data[i] = (byte) red;
            data[i + 1] = (byte) green;
            data[i + 2] = (byte) blue;
        }
    }

    private static int checkLevel(int level) {
        if (level < 0 || level > 255) {
            throw new IllegalArgumentException("colour level must be in 0..255, got " + level);
        }
        return level;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height && Arrays.equals(rgb, other.rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
