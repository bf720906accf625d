package org.vco4j.data.seva;

/**
 * MoCo v2's Gaussian blur (Pillow's {@code GaussianBlur(radius=σ)}), as a separable kernel of half-width
 * {@code ceil(3σ)} with edge pixels repeated beyond the border.
 */
final class GaussianBlur {
    private GaussianBlur() {}

    static void apply(FloatImage image, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) sum += kernel[k + radius] = (float) Math.exp(-k * k / (2 * sigma * sigma));
        for (int k = 0; k < kernel.length; k++) kernel[k] /= (float) sum;
        int w = image.width;
        int h = image.height;
        float[] row = new float[Math.max(w, h)];
        for (int c = 0; c < 3; c++) {
            int base = c * w * h;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = 0;
                    for (int k = -radius; k <= radius; k++) v += kernel[k + radius] * image.data[base + y * w + clamp(x + k, w)];
                    row[x] = v;
                }
                System.arraycopy(row, 0, image.data, base + y * w, w);
            }
            for (int x = 0; x < w; x++) {
                for (int y = 0; y < h; y++) {
                    float v = 0;
                    for (int k = -radius; k <= radius; k++) v += kernel[k + radius] * image.data[base + clamp(y + k, h) * w + x];
                    row[y] = v;
                }
                for (int y = 0; y < h; y++) image.data[base + y * w + x] = row[y];
            }
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
