package org.vco4j.data.endpoints;

import org.vco4j.data.PngFile;
import org.vco4j.model.image.RgbImage;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Test images for the endpoint pipelines: smooth gradients, and the "edit" a loopback editor makes. */
final class EndpointTestImages {
    private EndpointTestImages() {}

    static RgbImage gradient(int width, int height, int seed) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) (40 + 160 * x / width + seed * 7);
                rgb[i + 1] = (byte) (30 + 180 * y / height);
                rgb[i + 2] = (byte) (90 + 50 * ((x + y + seed) % 3));
            }
        }
        return new RgbImage(width, height, rgb);
    }

    static Path write(RgbImage image, Path file) throws IOException {
        java.nio.file.Files.createDirectories(file.getParent());
        PngFile.write(image, file);
        return file;
    }

    /** The PNG with a pure blue 8×8 block at its centre: what the loopback editor does. */
    static byte[] paintCentre(byte[] png) {
        try {
            RgbImage image = RgbImage.of(ImageIO.read(new ByteArrayInputStream(png)));
            byte[] rgb = image.toByteArray();
            for (int y = image.height() / 2 - 4; y < image.height() / 2 + 4; y++) {
                for (int x = image.width() / 2 - 4; x < image.width() / 2 + 4; x++) {
                    int i = (y * image.width() + x) * 3;
                    rgb[i] = 0;
                    rgb[i + 1] = 0;
                    rgb[i + 2] = (byte) 255;
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new RgbImage(image.width(), image.height(), rgb).toBufferedImage(), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
