package org.vco4j.data.endpoints;

import org.junit.jupiter.api.Test;
import org.vco4j.model.image.RgbImage;

import static org.junit.jupiter.api.Assertions.*;

/** IC-VCO's reversible padding: placement, white margins, and round trips. */
class FitAndPadTest {
    @Test
    void anImageWhoseLongSideIsTheCanvasComesBackPixelExact() {
        RgbImage image = EndpointTestImages.gradient(64, 40, 1);
        FitAndPad geometry = FitAndPad.of(image, 64);
        assertEquals(new FitAndPad(64, 40, 64, 0, 12, 64, 40), geometry);
        RgbImage square = geometry.fit(image);
        assertEquals(64, square.width());
        assertEquals(64, square.height());
        for (int c = 0; c < 3; c++) {
            assertEquals(255, square.get(5, 0, c), "top margin is white");
            assertEquals(255, square.get(5, 63, c), "bottom margin is white");
            assertEquals(image.get(5, 0, c), square.get(5, 12, c), "content starts below the margin");
        }
        assertEquals(image, geometry.restore(square), "no resampling either way: the round trip is exact");

        RgbImage tall = EndpointTestImages.gradient(30, 64, 2);
        FitAndPad portrait = FitAndPad.of(tall, 64);
        assertEquals(17, portrait.left());
        assertEquals(tall, portrait.restore(portrait.fit(tall)));
    }

    @Test
    void anEditOnTheCanvasLandsOnTheSamePixelsOfTheOriginal() {
        RgbImage image = EndpointTestImages.gradient(64, 48, 3);
        FitAndPad geometry = FitAndPad.of(image, 64);
        RgbImage edited;
        try {
            edited = RgbImage.of(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                    EndpointTestImages.paintCentre(png(geometry.fit(image))))));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        RgbImage back = geometry.restore(edited);
        // the canvas centre (32, 32) is the image's (32, 24): the block covers x 28..35, y 20..27 of the image
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                boolean inBlock = x >= 28 && x < 36 && y >= 20 && y < 28;
                for (int c = 0; c < 3; c++) {
                    int expected = inBlock ? (c == 2 ? 255 : 0) : image.get(x, y, c);
                    assertEquals(expected, back.get(x, y, c), "pixel " + x + "," + y);
                }
            }
        }
    }

    @Test
    void resampledRoundTripsStayCloseAndKeepTheSize() {
        for (int[] size : new int[][]{{300, 200}, {40, 30}, {37, 91}}) {
            RgbImage image = EndpointTestImages.gradient(size[0], size[1], 0);
            FitAndPad geometry = FitAndPad.of(image, 128);
            assertEquals(128, Math.max(geometry.fitWidth(), geometry.fitHeight()));
            RgbImage back = geometry.restore(geometry.fit(image));
            assertEquals(size[0], back.width());
            assertEquals(size[1], back.height());
            double error = 0;
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) error += Math.abs(back.get(x, y, 1) - image.get(x, y, 1));
            }
            assertTrue(error / (size[0] * size[1]) < 2.0, size[0] + "x" + size[1] + ": mean error " + error / (size[0] * size[1]));
        }
    }

    @Test
    void anOutputOfAnotherSquareSizeIsScaledAndANonSquareOneRefused() {
        RgbImage image = EndpointTestImages.gradient(64, 32, 0);
        FitAndPad geometry = FitAndPad.of(image, 64);
        RgbImage doubled = geometry.fit(image).resize(128, 128, org.vco4j.model.image.ResampleFilter.LANCZOS);
        assertEquals(64, geometry.restore(doubled).width());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> geometry.restore(image));
        assertTrue(e.getMessage().contains("64x32 image; expected a square (64x64)"), e.getMessage());
    }

    private static byte[] png(RgbImage image) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image.toBufferedImage(), "png", out);
        return out.toByteArray();
    }
}
