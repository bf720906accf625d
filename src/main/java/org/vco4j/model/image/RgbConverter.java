package org.vco4j.model.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;

/**
 * Pillow's {@code convert("RGB")} applied to what ImageIO decodes.
 *
 * <p>Samples are read from the raster, not through {@link BufferedImage#getRGB}: Java treats its grey
 * colour space as linear and would gamma-correct grey levels on the way to sRGB, which Pillow never
 * does. The rules, each checked against Pillow:
 * <ul>
 *   <li>alpha is dropped, never composited;</li>
 *   <li>palette entries are looked up (a transparent entry keeps its RGB);</li>
 *   <li>16-bit colour (and 16-bit grey with alpha) keeps the most significant byte;</li>
 *   <li>16-bit grey without alpha is clipped to 255, as Pillow's {@code I}/{@code I;16} to
 *       {@code RGB} conversion does (so most 16-bit grey photographs come out nearly white there too);</li>
 *   <li>samples narrower than 8 bits are scaled with {@code v * 255 / max}, rounded down.</li>
 * </ul>
 * Anything else (premultiplied alpha, float samples, non-RGB colour spaces) goes through Java's
 * colour conversion as a fallback.
 */
final class RgbConverter {
    private RgbConverter() {}

    static RgbImage convert(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (cm instanceof IndexColorModel icm) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int index = raster.getSample(x, y, 0);
                    put(out, (y * w + x) * 3, icm.getRed(index), icm.getGreen(index), icm.getBlue(index));
                }
            }
        } else if (readsRawSamples(cm, raster) && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB) {
            int[] bits = {cm.getComponentSize(0), cm.getComponentSize(1), cm.getComponentSize(2)};
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    put(out, (y * w + x) * 3, colourLevel(raster.getSample(x, y, 0), bits[0]),
                            colourLevel(raster.getSample(x, y, 1), bits[1]), colourLevel(raster.getSample(x, y, 2), bits[2]));
                }
            }
        } else if (readsRawSamples(cm, raster) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int bits = cm.getComponentSize(0);
            boolean alpha = cm.hasAlpha();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = raster.getSample(x, y, 0);
                    int level = bits == 16 && !alpha ? Math.min(v, 255) : colourLevel(v, bits);
                    put(out, (y * w + x) * 3, level, level, level);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    put(out, (y * w + x) * 3, p >>> 16 & 0xFF, p >>> 8 & 0xFF, p & 0xFF);
                }
            }
        }
        return RgbImage.wrap(w, h, out);
    }

    private static boolean readsRawSamples(ColorModel cm, Raster raster) {
        int type = raster.getTransferType();
        boolean integral = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT;
        boolean plain = cm instanceof ComponentColorModel || cm instanceof PackedColorModel;
        return integral && plain && !cm.isAlphaPremultiplied() && cm.getNumColorComponents() == cm.getColorSpace().getNumComponents();
    }

    /** An integer sample of {@code bits} bits as an 8-bit level. */
    private static int colourLevel(int v, int bits) {
        if (bits == 8) return v;
        if (bits > 8) return v >>> (bits - 8);
        return v * 255 / ((1 << bits) - 1);
    }

    private static void put(byte[] out, int i, int r, int g, int b) {
        out[i] = (byte) r;
        out[i + 1] = (byte) g;
        out[i + 2] = (byte) b;
    }
}
