package org.vco4j.model.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RgbImageCropTest {
    private static RgbImage numbered(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                rgb[i] = (byte) x;
                rgb[i + 1] = (byte) y;
                rgb[i + 2] = (byte) (x + y);
            }
        }
        return new RgbImage(width, height, rgb);
    }

    @Test
    void cropTakesTheWindowAtLeftTop() {
        RgbImage image = numbered(5, 4);
        RgbImage crop = image.crop(1, 2, 3, 2);
        assertEquals(3, crop.width());
        assertEquals(2, crop.height());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertEquals(x + 1, crop.get(x, y, 0));
                assertEquals(y + 2, crop.get(x, y, 1));
                assertEquals(x + y + 3, crop.get(x, y, 2));
            }
        }
        assertSame(image, image.crop(0, 0, 5, 4));
    }

    @Test
    void windowsOutsideTheImageAreRefused() {
        RgbImage image = numbered(5, 4);
        assertThrows(IllegalArgumentException.class, () -> image.crop(3, 0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> image.crop(0, 3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> image.crop(-1, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> image.crop(0, 0, 0, 1));
    }
}
