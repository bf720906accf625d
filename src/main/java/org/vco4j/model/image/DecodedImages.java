package org.vco4j.model.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded images kept between uses, least recently used first out, up to a byte budget: training reads the same
 * images in every epoch and every scheme's reference and policy pass, and decoding a PNG or JPEG again each time cost
 * part of every step. An entry is keyed by the file's real path, file key (inode), size and modification time, so an
 * edited or replaced file is decoded again. Thread-safe.
 */
public final class DecodedImages {
    /** The default budget: 256 MB of RGB bytes (about 750 images of 336×336). */
    public static final long DEFAULT_BUDGET_BYTES = 256L << 20;
    private static final DecodedImages SHARED = new DecodedImages(DEFAULT_BUDGET_BYTES);

    private record Key(Path file, Object fileKey, long size, long modifiedNanos) {}

    private final long budget;
    private final LinkedHashMap<Key, RgbImage> images = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    public DecodedImages(long budgetBytes) {
        this.budget = budgetBytes;
    }

    /** The process-wide cache the model's processors use. */
    public static DecodedImages shared() {
        return SHARED;
    }

    /** The image in {@code file}, decoded now or earlier (RGB as {@link ImageLoader#load} gives it). */
    public RgbImage load(Path file) throws ImageLoadException {
        Key key = key(file);
        if (key == null) return ImageLoader.load(file); // unreadable attributes: let the loader name the problem
        synchronized (this) {
            RgbImage known = images.get(key);
            if (known != null) return known;
        }
        RgbImage image = ImageLoader.load(file);
        long size = (long) image.width() * image.height() * 3;
        if (size > budget) return image;
        synchronized (this) {
            if (images.put(key, image) == null) bytes += size;
            for (Iterator<Map.Entry<Key, RgbImage>> oldest = images.entrySet().iterator(); bytes > budget && oldest.hasNext(); ) {
                RgbImage evicted = oldest.next().getValue();
                oldest.remove();
                bytes -= (long) evicted.width() * evicted.height() * 3;
            }
        }
        return image;
    }

    /** Images held now. */
    public synchronized int size() {
        return images.size();
    }

    private static Key key(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Key(file.toRealPath(), attributes.fileKey(), attributes.size(),
                    attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return null;
        }
    }
}
