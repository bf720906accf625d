package org.vco4j.model.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads PNG, JPEG, BMP and GIF files (the first frame of a GIF) with ImageIO and converts them to RGB
 * the way Pillow's {@code Image.open(f).convert("RGB")} does (see {@link RgbImage#of}).
 *
 * <p>Every failure is an {@link ImageLoadException} naming the file and saying what is wrong. Like
 * Pillow, a truncated file is an error rather than a partly grey image, and images of more than
 * {@value #MAX_PIXELS} pixels are refused (Pillow's decompression-bomb limit). EXIF orientation is
 * ignored, as {@code Image.open} ignores it.
 */
public final class ImageLoader {
    /** The formats read, by their usual names. */
    public static final List<String> SUPPORTED_FORMATS = List.of("PNG", "JPEG", "BMP", "GIF");
    /** Pillow refuses images above twice its {@code MAX_IMAGE_PIXELS} (89,478,485). */
    public static final long MAX_PIXELS = 2L * 89_478_485;

    private ImageLoader() {}

    /** Reads and converts an image file to RGB. */
    public static RgbImage load(Path file) throws ImageLoadException {
        return RgbImage.of(read(file));
    }

    /** Reads an image file as ImageIO decodes it (before any RGB conversion). */
    public static BufferedImage read(Path file) throws ImageLoadException {
        return withReader(file, (reader, format) -> decode(file, reader, format));
    }

    /**
     * Checks what can be checked without decoding the pixels: the file exists and is readable, its format is
     * supported, and its header gives a size within {@value #MAX_PIXELS} pixels. The fast check of large
     * datasets; damage inside the pixel data shows only when the image is {@link #read}.
     */
    public static void checkHeader(Path file) throws ImageLoadException {
        dimensions(file);
    }

    /** The image's dimensions from its header, checked as {@link #checkHeader} checks them; no pixel is decoded. */
    public static ImageDimensions dimensions(Path file) throws ImageLoadException {
        return withReader(file, (reader, format) -> {
            checkSize(file, reader, format);
            return new ImageDimensions(reader.getHeight(0), reader.getWidth(0));
        });
    }

    private interface ReaderUse<T> {
        T apply(ImageReader reader, String format) throws IOException;
    }

    private static <T> T withReader(Path file, ReaderUse<T> use) throws ImageLoadException {
        if (!Files.exists(file)) throw new ImageLoadException(file, "file does not exist");
        if (Files.isDirectory(file)) throw new ImageLoadException(file, "is a directory, not an image file");
        if (!Files.isReadable(file)) throw new ImageLoadException(file, "file is not readable (permission denied)");
        try {
            if (Files.size(file) == 0) throw new ImageLoadException(file, "file is empty");
        } catch (IOException e) {
            if (e instanceof ImageLoadException ile) throw ile;
            throw new ImageLoadException(file, "file cannot be read: " + e.getMessage(), e);
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            ImageReader reader = supportedReader(file, in);
            try {
                reader.setInput(in, true, true);
                return use.apply(reader, canonicalFormat(reader.getFormatName()));
            } finally {
                reader.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(file, "image", e);
        }
    }

    /** Decoders signal damage with IIOException/EOFException, but also with index and size errors. */
    private static ImageLoadException damaged(Path file, String format, Exception e) {
        String detail = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null) detail += " (" + cause.getMessage() + ")";
        return new ImageLoadException(file, "corrupt or truncated " + format + " data: " + detail, e);
    }

    private static void checkSize(Path file, ImageReader reader, String format) throws IOException {
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
            throw new ImageLoadException(file, format + " image of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                    + " pixels exceeds the limit of " + MAX_PIXELS + " pixels");
        }
    }

    private static ImageReader supportedReader(Path file, ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            if (SUPPORTED_FORMATS.contains(canonicalFormat(reader.getFormatName()))) {
                return reader;
            }
        }
        String sniffed = sniffFormat(file);
        String supported = "supported formats are " + String.join(", ", SUPPORTED_FORMATS);
        if (sniffed != null) throw new ImageLoadException(file, "unsupported image format " + sniffed + "; " + supported);
        throw new ImageLoadException(file, "not a recognisable image (corrupt, or not an image at all); " + supported);
    }

    private static BufferedImage decode(Path file, ImageReader reader, String format) throws IOException {
        List<String> warnings = new ArrayList<>();
        IIOReadWarningListener listener = (source, warning) -> warnings.add(warning);
        reader.addIIOReadWarningListener(listener);
        BufferedImage image;
        try {
            checkSize(file, reader, format);
            image = reader.read(0);
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(file, format, e);
        }
        for (String w : warnings) {
            // libjpeg reports a missing end of file only as a warning and fills the rest with grey; Pillow raises.
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncat")) {
                throw new ImageLoadException(file, "truncated " + format + " data: " + w);
            }
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new ImageLoadException(file, format + " decoder produced no image");
        }
        return image;
    }

    private static String canonicalFormat(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.equals("JPG") ? "JPEG" : upper;
    }

    /** Names common formats ImageIO cannot (or is not allowed to) read, from their leading bytes. */
    private static String sniffFormat(Path file) {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return null;
        }
        String ascii = new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (n >= 12 && ascii.startsWith("RIFF") && ascii.startsWith("WEBP", 8)) return "WebP";
        if (n >= 12 && ascii.startsWith("ftyp", 4)) {
            String brand = ascii.substring(8, 12);
            if (brand.startsWith("avi")) return "AVIF";
            if (brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("hev")) return "HEIF/HEIC";
        }
        if (ascii.startsWith("II*\0") || ascii.startsWith("MM\0*")) return "TIFF";
        if (ascii.startsWith("8BPS")) return "PSD";
        if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 1 && head[3] == 0) return "ICO";
        if (ascii.startsWith("\u00ffO\u00ffQ") || ascii.startsWith("\0\0\0\fjP")) return "JPEG 2000";
        if (ascii.startsWith("qoif")) return "QOI";
        return null;
    }
}
