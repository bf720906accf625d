package org.vco4j.data;

import org.vco4j.common.AtomicFiles;

import org.vco4j.model.image.RgbImage;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Path;

/** Writes an image as PNG atomically (temporary file in the same folder, then rename). */
public final class PngFile {
    private PngFile() {}

    public static void write(RgbImage image, Path file) throws IOException {
        AtomicFiles.writeStream(file, out -> {
            if (!ImageIO.write(image.toBufferedImage(), "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }
}
