package org.vco4j.model.image;

/**
 * Pillow's convolution resampler ({@code Image.resize} for 8-bit images, {@code libImaging/Resample.c}),
 * reimplemented to give the same bytes.
 *
 * <p>The resize is separable: a horizontal pass into an 8-bit intermediate image, then a vertical pass.
 * When shrinking, the kernel is stretched by the scale factor (antialiasing). Each output sample uses
 * weights computed in double precision, normalised to sum to one, then turned into fixed-point
 * integers with {@link #PRECISION_BITS} fractional bits; the integer sum starts at one half and is
 * shifted and clipped to 0..255 after each pass. A pass whose size does not change is skipped, and a
 * resize to the same size returns the image itself.
 */
final class Resampler {
    /** Pillow's fixed-point precision for 8-bit data: 32 bits less 8 for the value and 2 for overshoot. */
    static final int PRECISION_BITS = 32 - 8 - 2;

    private Resampler() {}

    static RgbImage resize(RgbImage in, int outWidth, int outHeight, ResampleFilter filter) {
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outWidth + "x" + outHeight);
        }
        if (outWidth == in.width() && outHeight == in.height()) {
            return in;
        }
        Kernel vertical = Kernel.compute(in.height(), outHeight, filter);
        // Only the input rows the vertical pass reads need a horizontal pass (as in Pillow; the values are the same either way).
        int firstRow = vertical.start[0];
        int lastRow = vertical.start[outHeight - 1] + vertical.count[outHeight - 1];

        byte[] src = in.data();
        int srcWidth = in.width();
        int rowOffset = 0;
        if (outWidth != in.width()) {
            Kernel horizontal = Kernel.compute(in.width(), outWidth, filter);
            int rows = lastRow - firstRow;
            byte[] tmp = new byte[rows * outWidth * 3];
            for (int y = 0; y < rows; y++) {
                int srcRow = (y + firstRow) * srcWidth * 3;
                int dstRow = y * outWidth * 3;
                for (int xx = 0; xx < outWidth; xx++) {
                    int[] k = horizontal.weights[xx];
                    int base = srcRow + horizontal.start[xx] * 3;
                    int r = 1 << (PRECISION_BITS - 1), g = r, b = r;
                    for (int x = 0; x < k.length; x++) {
                        int p = base + x * 3;
                        r += (src[p] & 0xFF) * k[x];
                        g += (src[p + 1] & 0xFF) * k[x];
                        b += (src[p + 2] & 0xFF) * k[x];
                    }
                    tmp[dstRow + xx * 3] = clip8(r);
                    tmp[dstRow + xx * 3 + 1] = clip8(g);
                    tmp[dstRow + xx * 3 + 2] = clip8(b);
                }
            }
            src = tmp;
            srcWidth = outWidth;
            rowOffset = firstRow;
        }
        if (outHeight == in.height()) {
            // Horizontal pass only; it covered every row because an unscaled kernel reaches both edges.
            return RgbImage.wrap(outWidth, outHeight, src);
        }
        byte[] out = new byte[outHeight * outWidth * 3];
        for (int yy = 0; yy < outHeight; yy++) {
            int[] k = vertical.weights[yy];
            int top = vertical.start[yy] - rowOffset;
            for (int xx = 0; xx < outWidth; xx++) {
                int r = 1 << (PRECISION_BITS - 1), g = r, b = r;
                for (int y = 0; y < k.length; y++) {
                    int p = ((top + y) * srcWidth + xx) * 3;
                    r += (src[p] & 0xFF) * k[y];
                    g += (src[p + 1] & 0xFF) * k[y];
                    b += (src[p + 2] & 0xFF) * k[y];
                }
                int o = (yy * outWidth + xx) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return RgbImage.wrap(outWidth, outHeight, out);
    }

    /** Pillow's {@code clip8}: drop the fraction (arithmetic shift, i.e. floor) and clamp to a byte. */
    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Fixed-point weights of every output position along one axis ({@code precompute_coeffs}). */
    static final class Kernel {
        final int[] start;
        final int[] count;
        final int[][] weights;

        private Kernel(int outSize) {
            start = new int[outSize];
            count = new int[outSize];
            weights = new int[outSize][];
        }

        static Kernel compute(int inSize, int outSize, ResampleFilter filter) {
            Kernel kernel = new Kernel(outSize);
            double[][] real = realWeights(inSize, outSize, filter, kernel);
            for (int i = 0; i < outSize; i++) {
                int[] fixed = new int[real[i].length];
                for (int j = 0; j < fixed.length; j++) {
                    double w = real[i][j] * (1 << PRECISION_BITS);
                    // C's (int) cast truncates towards zero, as Java's does.
                    fixed[j] = (int) (w < 0 ? w - 0.5 : w + 0.5);
                }
                kernel.weights[i] = fixed;
            }
            return kernel;
        }

        /**
         * Normalised double weights per output position; fills {@code bounds} with the first input
         * index and tap count when given.
         */
        static double[][] realWeights(int inSize, int outSize, ResampleFilter filter, Kernel bounds) {
            // Pillow passes the box edges as floats and subtracts them in float before widening.
            double scale = (double) ((float) inSize - 0f) / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            double inverse = 1.0 / filterScale;
            double[][] out = new double[outSize][];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                int n = Math.max(0, xmax - xmin);
                double[] w = new double[n];
                double total = 0.0;
                for (int x = 0; x < n; x++) {
                    w[x] = filter.weight((x + xmin - center + 0.5) * inverse);
                    total += w[x];
                }
                if (total != 0.0) {
                    for (int x = 0; x < n; x++) w[x] /= total;
                }
                out[xx] = w;
                if (bounds != null) {
                    bounds.start[xx] = xmin;
                    bounds.count[xx] = n;
                }
            }
            return out;
        }
    }
}
