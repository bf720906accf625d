package org.vco4j.model.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.*;

/** Expected pixels of the unusual layouts were checked against Pillow 9.4's {@code Image.open(f).convert("RGB")}. */
class ImageLoaderTest {
    @TempDir
    Path dir;

    private static BufferedImage sample() {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 4; x++) img.setRGB(x, y, (x * 60) << 16 | (y * 100) << 8 | (x + y) * 30);
        return img;
    }

    private Path write(BufferedImage img, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, file.toFile()), "no writer for " + format);
        return file;
    }

    private static void assertPixel(RgbImage img, int x, int y, int r, int g, int b) {
        assertArrayEquals(new int[] {r, g, b}, new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)}, "pixel (" + x + ", " + y + ")");
    }

    @Test
    void readsLosslessFormatsExactly() throws IOException {
        RgbImage expected = RgbImage.of(sample());
        assertEquals(expected, ImageLoader.load(write(sample(), "png", "a.png")));
        assertEquals(expected, ImageLoader.load(write(sample(), "bmp", "a.bmp")));
        assertPixel(expected, 3, 2, 180, 200, 150);
    }

    @Test
    void readsGifThroughItsPalette() throws IOException {
        byte[] r = {(byte) 255, 0, 7}, g = {0, (byte) 255, 8}, b = {0, 0, 9};
        // 8 rows: ImageIO's GIF reader misreads the interlaced files its own writer makes below 5 rows.
        BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(2, 3, r, g, b, 2));
        int[] indices = new int[64];
        for (int i = 0; i < 64; i++) indices[i] = i % 3;
        indexed.getRaster().setPixels(0, 0, 8, 8, indices);
        RgbImage img = ImageLoader.load(write(indexed, "gif", "p.gif"));
        assertPixel(img, 0, 0, 255, 0, 0);
        assertPixel(img, 1, 0, 0, 255, 0);
        // The transparent entry keeps its palette colour, as convert("RGB") does.
        assertPixel(img, 2, 0, 7, 8, 9);
        assertPixel(img, 7, 7, 255, 0, 0);
    }

    @Test
    void readsJpegApproximately() throws IOException {
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) flat.setRGB(x, y, 0xC86432);
        RgbImage img = ImageLoader.load(write(flat, "jpg", "a.jpg"));
        assertEquals(16, img.width());
        assertEquals(200, img.get(8, 8, 0), 3);
        assertEquals(100, img.get(8, 8, 1), 3);
        assertEquals(50, img.get(8, 8, 2), 3);
    }

    @Test
    void dropsAlphaWithoutCompositing() throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x000A141E); // fully transparent, colour kept
        argb.setRGB(1, 0, 0x80FF8000);
        RgbImage img = ImageLoader.load(write(argb, "png", "alpha.png"));
        assertPixel(img, 0, 0, 10, 20, 30);
        assertPixel(img, 1, 0, 255, 128, 0);
    }

    @Test
    void keepsGreyLevelsWithoutGammaConversion() throws IOException {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 100, 201});
        RgbImage img = ImageLoader.load(write(grey, "png", "grey.png"));
        assertPixel(img, 1, 0, 100, 100, 100);
        assertPixel(img, 2, 0, 201, 201, 201);
    }

    @Test
    void sixteenBitPngsFollowPillow() throws IOException {
        // 16-bit grey without alpha: Pillow opens it as mode I and clips to 255 when converting.
        Path grey16 = dir.resolve("g16.png");
        Files.write(grey16, png(3, 1, 16, 0, shorts(0x0080, 0x1234, 0xff00)));
        RgbImage g = ImageLoader.load(grey16);
        assertPixel(g, 0, 0, 128, 128, 128);
        assertPixel(g, 1, 0, 255, 255, 255);
        assertPixel(g, 2, 0, 255, 255, 255);
        // 16-bit colour keeps the high byte.
        Path rgb16 = dir.resolve("rgb16.png");
        Files.write(rgb16, png(2, 1, 16, 2, shorts(0x0080, 0x12ff, 0xff00, 0x7f80, 0x8000, 0x00ff)));
        RgbImage c = ImageLoader.load(rgb16);
        assertPixel(c, 0, 0, 0, 18, 255);
        assertPixel(c, 1, 0, 127, 128, 0);
        // 16-bit grey with alpha keeps the high byte too, and drops alpha.
        Path la16 = dir.resolve("la16.png");
        Files.write(la16, png(2, 1, 16, 4, shorts(0x0080, 0x1234, 0x12ff, 0x0000)));
        RgbImage la = ImageLoader.load(la16);
        assertPixel(la, 0, 0, 0, 0, 0);
        assertPixel(la, 1, 0, 18, 18, 18);
    }

    @Test
    void fiveBitBmpLevelsScaleDownwardsAsInPillow() throws IOException {
        int[] pixels = {(31 << 10) | 1, (16 << 10) | (15 << 5) | 30, (1 << 10) | (2 << 5) | 3};
        ByteBuffer bmp = ByteBuffer.allocate(14 + 40 + 8).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(62).putInt(0).putInt(54);
        bmp.putInt(40).putInt(3).putInt(1).putShort((short) 1).putShort((short) 16).putInt(0).putInt(8).putInt(2835).putInt(2835).putInt(0).putInt(0);
        for (int p : pixels) bmp.putShort((short) p);
        Path file = dir.resolve("555.bmp");
        Files.write(file, bmp.array());
        RgbImage img = ImageLoader.load(file);
        assertPixel(img, 0, 0, 255, 0, 8);
        assertPixel(img, 1, 0, 131, 123, 246);
        assertPixel(img, 2, 0, 8, 16, 24);
    }

    private ImageLoadException failure(Path file) {
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> ImageLoader.load(file));
        assertEquals(file, e.file());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e;
    }

    @Test
    void reportsMissingDirectoryAndEmptyFiles() throws IOException {
        assertTrue(failure(dir.resolve("nope.png")).getMessage().contains("does not exist"));
        assertTrue(failure(dir).getMessage().contains("directory"));
        Path empty = Files.createFile(dir.resolve("empty.png"));
        assertTrue(failure(empty).getMessage().contains("empty"));
    }

    @Test
    void reportsGarbageAsUnrecognisable() throws IOException {
        Path junk = dir.resolve("junk.png");
        Files.write(junk, "this is certainly not an image, just some text".getBytes(StandardCharsets.US_ASCII));
        String m = failure(junk).getMessage();
        assertTrue(m.contains("not a recognisable image"), m);
        assertTrue(m.contains("PNG, JPEG, BMP, GIF"), m);
    }

    @Test
    void reportsUnsupportedFormatsByName() throws IOException {
        Path webp = dir.resolve("a.webp");
        byte[] header = "RIFF\u0024\0\0\0WEBPVP8 \u0018\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(webp, Arrays.copyOf(header, 44));
        String m = failure(webp).getMessage();
        assertTrue(m.contains("unsupported image format WebP"), m);
        assertTrue(m.contains("supported formats are PNG, JPEG, BMP, GIF"), m);
        // ImageIO could read TIFF, but only the four formats are accepted.
        Path tiff = write(sample(), "tiff", "a.tiff");
        assertTrue(failure(tiff).getMessage().contains("unsupported image format TIFF"));
    }

    private Path truncated(String format, String name) throws IOException {
        BufferedImage big = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) big.setRGB(x, y, (x * 31 + y * 17) * 0x010203 & 0xFFFFFF);
        Path whole = write(big, format, "whole-" + name);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve(name);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        return cut;
    }

    @Test
    void reportsTruncatedFiles() throws IOException {
        for (String format : new String[] {"png", "jpg", "bmp", "gif"}) {
            String m = failure(truncated(format, "cut." + format)).getMessage();
            assertTrue(m.contains("truncated"), format + ": " + m);
        }
    }

    @Test
    void reportsCorruptData() throws IOException {
        byte[] bytes = png(2, 2, 8, 2, new byte[12]);
        // Damage the compressed stream after the zlib header.
        int idat = indexOf(bytes, "IDAT".getBytes(StandardCharsets.US_ASCII));
        for (int i = idat + 6; i < idat + 14; i++) bytes[i] = (byte) 0xA5;
        Path file = dir.resolve("corrupt.png");
        Files.write(file, bytes);
        String m = failure(file).getMessage();
        assertTrue(m.contains("corrupt"), m);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2);
        for (int v : values) b.putShort((short) v);
        return b.array();
    }

    /** A one-row-per-filter-byte PNG; {@code data} holds the unfiltered rows. */
    static byte[] png(int width, int height, int bitDepth, int colourType, byte[] data) throws IOException {
        int rowBytes = data.length / height;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            raw.write(0);
            raw.write(data, y * rowBytes, rowBytes);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw.toByteArray());
        deflater.finish();
        byte[] buf = new byte[1024 + raw.size() * 2];
        int n = deflater.deflate(buf);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(d, "IHDR", ihdr.array());
        chunk(d, "IDAT", Arrays.copyOf(buf, n));
        chunk(d, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream d, String type, byte[] body) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(body);
        d.writeInt(body.length);
        d.write(t);
        d.write(body);
        d.writeInt((int) crc.getValue());
    }
}
