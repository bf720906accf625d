package org.vco4j.spark;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Test pictures for the Spark job: seeded colour gradients with a little noise, written as PNG files. */
final class SparkImages {
    private SparkImages() {}

    /** Writes a {@code width}×{@code height} gradient drawn from {@code seed} to {@code file} (folders created). */
    static Path png(Path file, int width, int height, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int r0 = random.nextInt(256), g0 = random.nextInt(256), b0 = random.nextInt(256);
        int dr = random.nextInt(-4, 5), dg = random.nextInt(-4, 5), db = random.nextInt(-4, 5);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = clamp(r0 + dr * x + random.nextInt(8));
                int g = clamp(g0 + dg * y + random.nextInt(8));
                int b = clamp(b0 + db * (x + y) + random.nextInt(8));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
