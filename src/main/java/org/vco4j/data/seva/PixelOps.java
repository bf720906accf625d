package org.vco4j.data.seva;

import org.vco4j.model.image.RgbImage;

/**
 * Pillow's 8-bit image operations that torchvision's functional API calls on PIL images, on interleaved RGB bytes:
 * the point operations of {@code ImageOps} (posterize, solarize, invert, autocontrast, equalize), the
 * {@code ImageEnhance} blends (color, contrast, sharpness) and affine warps with nearest-neighbour sampling and a
 * black fill ({@code Image.transform(AFFINE)}, {@code Image.rotate}).
 */
final class PixelOps {
    private PixelOps() {}

    /** Keeps the {@code bits} high bits of every sample ({@code ImageOps.posterize}). */
    static RgbImage posterize(RgbImage image, int bits) {
        int mask = ~((1 << (8 - bits)) - 1) & 0xFF;
        return map(image, v -> v & mask);
    }

    /** Inverts every sample at or above {@code threshold} ({@code ImageOps.solarize}). */
    static RgbImage solarize(RgbImage image, double threshold) {
        return map(image, v -> v < threshold ? v : 255 - v);
    }

    static RgbImage invert(RgbImage image) {
        return map(image, v -> 255 - v);
    }

    /** Stretches each channel to 0..255 ({@code ImageOps.autocontrast} with no cutoff). */
    static RgbImage autocontrast(RgbImage image) {
        byte[] rgb = image.toByteArray();
        int[][] lut = new int[3][256];
        for (int c = 0; c < 3; c++) {
            int lo = 255;
            int hi = 0;
            for (int i = c; i < rgb.length; i += 3) {
                lo = Math.min(lo, rgb[i] & 0xFF);
                hi = Math.max(hi, rgb[i] & 0xFF);
            }
            for (int v = 0; v < 256; v++) {
                if (hi <= lo) {
                    lut[c][v] = v;
                } else {
                    double scale = 255.0 / (hi - lo);
                    lut[c][v] = clamp((int) (v * scale - lo * scale));
                }
            }
        }
        return lookUp(rgb, image, lut);
    }

    /** Flattens each channel's histogram ({@code ImageOps.equalize}). */
    static RgbImage equalize(RgbImage image) {
        byte[] rgb = image.toByteArray();
        int[][] lut = new int[3][256];
        for (int c = 0; c < 3; c++) {
            int[] histogram = new int[256];
            for (int i = c; i < rgb.length; i += 3) histogram[rgb[i] & 0xFF]++;
            int total = 0;
            int last = 0;
            int used = 0;
            for (int count : histogram) {
                if (count > 0) {
                    total += count;
                    last = count;
                    used++;
                }
            }
            int step = (total - last) / 255;
            for (int v = 0, n = step / 2; v < 256; v++) {
                lut[c][v] = used <= 1 || step == 0 ? v : Math.min(255, n / step);
                if (step > 0) n += histogram[v];
            }
        }
        return lookUp(rgb, image, lut);
    }

    /** {@code ImageEnhance.Color}: a blend with the image's grey version (Pillow's integer luma). */
    static RgbImage color(RgbImage image, double factor) {
        byte[] rgb = image.toByteArray();
        byte[] gray = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i += 3) {
            int l = luma(rgb, i);
            gray[i] = gray[i + 1] = gray[i + 2] = (byte) l;
        }
        return blend(image, gray, factor);
    }

    /** {@code ImageEnhance.Contrast}: a blend with a flat image of the mean grey level. */
    static RgbImage contrast(RgbImage image, double factor) {
        byte[] rgb = image.toByteArray();
        double sum = 0;
        for (int i = 0; i < rgb.length; i += 3) sum += luma(rgb, i);
        byte mean = (byte) (int) (sum / (rgb.length / 3) + 0.5);
        byte[] flat = new byte[rgb.length];
        java.util.Arrays.fill(flat, mean);
        return blend(image, flat, factor);
    }

    /** {@code ImageEnhance.Sharpness}: a blend with Pillow's SMOOTH filter (3×3, centre 5, sum 13; border kept). */
    static RgbImage sharpness(RgbImage image, double factor) {
        int w = image.width();
        int h = image.height();
        byte[] rgb = image.toByteArray();
        byte[] smooth = rgb.clone();
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) sum += (rgb[((y + dy) * w + x + dx) * 3 + c] & 0xFF) * (dx == 0 && dy == 0 ? 5 : 1);
                    }
                    smooth[(y * w + x) * 3 + c] = (byte) clamp((int) (sum / 13.0 + 0.5));
                }
            }
        }
        return blend(image, smooth, factor);
    }

    /**
     * {@code Image.rotate(angle)} counter-clockwise about the centre, nearest neighbour, same size, black outside;
     * the matrix as Pillow builds it.
     */
    static RgbImage rotate(RgbImage image, double degrees) {
        double a = -Math.toRadians(degrees);
        // Pillow rounds the matrix to 15 decimals, so quarter turns are exact.
        double cos = Math.round(Math.cos(a) * 1e15) / 1e15;
        double sin = Math.round(Math.sin(a) * 1e15) / 1e15;
        double cx = image.width() / 2.0;
        double cy = image.height() / 2.0;
        double c = cos * -cx + sin * -cy + cx;
        double f = -sin * -cx + cos * -cy + cy;
        return affine(image, new double[] {cos, sin, c, -sin, cos, f});
    }

    /** torchvision's {@code affine(shear=[degrees(atan(m)), 0], center=[0, 0])} on a PIL image: {@code x_in = x + m·y}. */
    static RgbImage shearX(RgbImage image, double m) {
        return affine(image, new double[] {1, m, 0, 0, 1, 0});
    }

    /** {@code Image.transform(AFFINE, matrix, NEAREST)}: each output pixel centre mapped to the input, black outside. */
    static RgbImage affine(RgbImage image, double[] m) {
        int w = image.width();
        int h = image.height();
        byte[] in = image.toByteArray();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double xo = x + 0.5;
                double yo = y + 0.5;
                int xi = (int) Math.floor(m[0] * xo + m[1] * yo + m[2]);
                int yi = (int) Math.floor(m[3] * xo + m[4] * yo + m[5]);
                if (xi >= 0 && xi < w && yi >= 0 && yi < h) System.arraycopy(in, (yi * w + xi) * 3, out, (y * w + x) * 3, 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** {@code Image.blend(degenerate, image, factor)}: {@code degenerate + factor · (image − degenerate)}, clipped. */
    private static RgbImage blend(RgbImage image, byte[] degenerate, double factor) {
        byte[] rgb = image.toByteArray();
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int d = degenerate[i] & 0xFF;
            out[i] = (byte) clamp((int) Math.round(d + factor * ((rgb[i] & 0xFF) - d)));
        }
        return new RgbImage(image.width(), image.height(), out);
    }

    /** Pillow's {@code convert("L")}: {@code (19595 R + 38470 G + 7471 B + 0x8000) >> 16}. */
    private static int luma(byte[] rgb, int i) {
        return ((rgb[i] & 0xFF) * 19595 + (rgb[i + 1] & 0xFF) * 38470 + (rgb[i + 2] & 0xFF) * 7471 + 0x8000) >> 16;
    }

    private interface Point {
        int apply(int value);
    }

    private static RgbImage map(RgbImage image, Point point) {
        byte[] rgb = image.toByteArray();
        for (int i = 0; i < rgb.length; i++) rgb[i] = (byte) point.apply(rgb[i] & 0xFF);
        return new RgbImage(image.width(), image.height(), rgb);
    }

    private static RgbImage lookUp(byte[] rgb, RgbImage image, int[][] lut) {
        byte[] out = new byte[rgb.length];
        for (int i = 0; i < rgb.length; i++) out[i] = (byte) lut[i % 3][rgb[i] & 0xFF];
        return new RgbImage(image.width(), image.height(), out);
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }
}
