package org.vco4j.model.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.*;

/** Decoded images are reused until their file changes, within a byte budget. */
class DecodedImagesTest {

    @Test
    void reusedUntilTheFileChanges(@TempDir Path dir) throws Exception {
        Path file = png(dir.resolve("a.png"), 8, 0xff0000);
        DecodedImages cache = new DecodedImages(1 << 20);
        RgbImage first = cache.load(file);
        assertSame(first, cache.load(file), "decoded once");
        assertEquals(ImageLoader.load(file), first);

        png(file, 8, 0x0000ff);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        RgbImage edited = cache.load(file);
        assertNotEquals(first, edited, "an edited file is decoded again");
        assertEquals(ImageLoader.load(file), edited);
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondTheBudget(@TempDir Path dir) throws Exception {
        DecodedImages cache = new DecodedImages(2 * 8 * 8 * 3); // room for two 8×8 images
        Path a = png(dir.resolve("a.png"), 8, 0x111111);
        Path b = png(dir.resolve("b.png"), 8, 0x222222);
        Path c = png(dir.resolve("c.png"), 8, 0x333333);
        RgbImage first = cache.load(a);
        cache.load(b);
        cache.load(a); // a is now the most recently used
        cache.load(c); // evicts b
        assertEquals(2, cache.size());
        assertSame(first, cache.load(a));
        Path big = png(dir.resolve("big.png"), 64, 0x444444);
        cache.load(big); // larger than the whole budget: returned, not kept
        assertEquals(2, cache.size());
        assertThrows(ImageLoadException.class, () -> cache.load(dir.resolve("missing.png")));
    }

    private static Path png(Path file, int side, int rgb) throws Exception {
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) image.setRGB(x, y, rgb);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
