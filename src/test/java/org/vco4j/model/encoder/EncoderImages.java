package org.vco4j.model.encoder;

import org.vco4j.model.image.RgbImage;

import java.util.SplittableRandom;

/** Test pictures: smooth colour gradients with a little seeded noise, different per seed. */
public final class EncoderImages {
    private EncoderImages() {}

    public static RgbImage gradient(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int r0 = random.nextInt(256), g0 = random.nextInt(256), b0 = random.nextInt(256);
        int dr = random.nextInt(-4, 5), dg = random.nextInt(-4, 5), db = random.nextInt(-4, 5);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) clamp(r0 + dr * x + random.nextInt(8));
                rgb[i + 1] = (byte) clamp(g0 + dg * y + random.nextInt(8));
                rgb[i + 2] = (byte) clamp(b0 + db * (x + y) + random.nextInt(8));
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /** Writes a gradient picture as a PNG file (folders created) and returns its path. */
    public static java.nio.file.Path png(java.nio.file.Path file, int width, int height, long seed) throws java.io.IOException {
        java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
        javax.imageio.ImageIO.write(gradient(width, height, seed).toBufferedImage(), "png", file.toFile());
        return file;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
