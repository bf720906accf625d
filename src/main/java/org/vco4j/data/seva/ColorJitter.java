package org.vco4j.data.seva;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)} on float images: factors drawn from
 * {@code [1 − b, 1 + b]} (hue shift from {@code [−h, h]}), applied in a random order, each step clamped to
 * [0, 1] as torchvision's tensor functions do.
 */
final class ColorJitter {
    private final double brightness;
    private final double contrast;
    private final double saturation;
    private final double hue;

    ColorJitter(double brightness, double contrast, double saturation, double hue) {
        this.brightness = brightness;
        this.contrast = contrast;
        this.saturation = saturation;
        this.hue = hue;
    }

    void apply(FloatImage image, RandomGenerator random) {
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3));
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            order.set(i, order.set(j, order.get(i)));
        }
        float b = factor(brightness, random);
        float c = factor(contrast, random);
        float s = factor(saturation, random);
        float h = (float) (-hue + 2 * hue * random.nextDouble());
        for (int step : order) {
            switch (step) {
                case 0 -> blend(image, b, p -> 0f);
                case 1 -> {
                    double sum = 0;
                    for (int p = 0; p < image.plane(); p++) sum += image.gray(p);
                    float mean = (float) (sum / image.plane());
                    blend(image, c, p -> mean);
                }
                case 2 -> {
                    float[] gray = new float[image.plane()];
                    for (int p = 0; p < gray.length; p++) gray[p] = image.gray(p);
                    blend(image, s, p -> gray[p]);
                }
                default -> shiftHue(image, h);
            }
        }
    }

    private static float factor(double strength, RandomGenerator random) {
        return (float) (1 - strength + 2 * strength * random.nextDouble());
    }

    private interface Other {
        float at(int p);
    }

    /** {@code clamp(f · x + (1 − f) · other)}, torchvision's {@code _blend}. */
    private static void blend(FloatImage image, float f, Other other) {
        int plane = image.plane();
        for (int p = 0; p < plane; p++) {
            float o = other.at(p);
            for (int ch = 0; ch < 3; ch++) {
                int i = ch * plane + p;
                image.data[i] = Math.max(0f, Math.min(1f, f * image.data[i] + (1 - f) * o));
            }
        }
    }

    private static void shiftHue(FloatImage image, float shift) {
        int plane = image.plane();
        float[] hsv = new float[3];
        for (int p = 0; p < plane; p++) {
            float r = image.data[p];
            float g = image.data[plane + p];
            float b = image.data[2 * plane + p];
            toHsv(r, g, b, hsv);
            float h = hsv[0] + shift;
            h -= (float) Math.floor(h);
            float[] rgb = fromHsv(h, hsv[1], hsv[2]);
            for (int ch = 0; ch < 3; ch++) image.data[ch * plane + p] = rgb[ch];
        }
    }

    private static void toHsv(float r, float g, float b, float[] out) {
        float max = Math.max(r, Math.max(g, b));
        float min = Math.min(r, Math.min(g, b));
        float delta = max - min;
        float h;
        if (delta == 0) {
            h = 0;
        } else if (max == r) {
            h = ((g - b) / delta) / 6f;
        } else if (max == g) {
            h = ((b - r) / delta + 2) / 6f;
        } else {
            h = ((r - g) / delta + 4) / 6f;
        }
        out[0] = h - (float) Math.floor(h);
        out[1] = max == 0 ? 0 : delta / max;
        out[2] = max;
    }

    private static float[] fromHsv(float h, float s, float v) {
        float sector = h * 6f;
        int i = (int) Math.floor(sector) % 6;
        float f = sector - (float) Math.floor(sector);
        float p = v * (1 - s);
        float q = v * (1 - s * f);
        float t = v * (1 - s * (1 - f));
        return switch (i) {
            case 0 -> new float[] {v, t, p};
            case 1 -> new float[] {q, v, p};
            case 2 -> new float[] {p, v, t};
            case 3 -> new float[] {p, q, v};
            case 4 -> new float[] {t, p, v};
            default -> new float[] {v, p, q};
        };
    }
}
