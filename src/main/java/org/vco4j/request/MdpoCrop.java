package org.vco4j.request;

import org.vco4j.common.AtomicFiles;
import org.vco4j.data.Sample;
import org.vco4j.data.SeededHash;
import org.vco4j.data.seva.RandomResizedCrop;

import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * mDPO's conditional image {@code m_crop}: torchvision's {@code RandomResizedCrop} with scale (0.01, 0.2)
 * and ratio (3/4, 4/3), so the crop keeps a random 1–20 % of the area, resized back to the image's size
 * with Pillow's bilinear filter (torchvision's default for PIL images).
 *
 * <p>The crop of a sample is drawn from a generator seeded by (seed, sample id), so every run, and policy
 * and reference alike, see the same crop. It is written as PNG into the cache folder (to a temporary file,
 * then moved into place) and reused from there when present.
 */
public final class MdpoCrop {
    /** The smallest and largest fraction of the area a crop keeps (mDPO's {@code scale}). */
    public static final double MIN_SCALE = 0.01;
    public static final double MAX_SCALE = 0.2;
    /** torchvision's crop with mDPO's scale and the default aspect-ratio range (3/4, 4/3). */
    private static final RandomResizedCrop MDPO_CROP = new RandomResizedCrop(MIN_SCALE, MAX_SCALE);

    /** A crop window in pixels. */
    public record Box(int left, int top, int width, int height) {}

    private final Path cacheFolder;
    private final long seed;

    public MdpoCrop(Path cacheFolder, long seed) {
        this.cacheFolder = cacheFolder;
        this.seed = seed;
    }

    /** The PNG file of the crop of {@code sample}'s image {@code m}, written on first use. */
    public Path cropFor(Sample sample) throws IOException {
        Path image = sample.image();
        // The key names the image file's state, so a replaced image gets a new crop rather than a stale one.
        String key = sample.id() + "\n" + image + "\n" + Files.size(image) + "\n" + Files.getLastModifiedTime(image).toMillis();
        Path target = cacheFolder.resolve(fileName(sample.id(), SeededHash.of(seed, key)));
        if (Files.isRegularFile(target)) return target;
        RgbImage crop = crop(ImageLoader.load(image), random(sample.id()));
        AtomicFiles.writeStream(target, out -> {
            if (!ImageIO.write(crop.toBufferedImage(), "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
        return target;
    }

    /** The generator the crop of sample {@code id} is drawn from. */
    RandomGenerator random(String id) {
        return new SplittableRandom(SeededHash.of(seed, id));
    }

    /** A random crop of {@code image} keeping 1–20 % of its area, resized back to its size. */
    public static RgbImage crop(RgbImage image, RandomGenerator random) {
        return MDPO_CROP.apply(image, random);
    }

    /** torchvision's {@code RandomResizedCrop.get_params} with mDPO's scale and the default ratio. */
    public static Box box(int width, int height, RandomGenerator random) {
        int[] box = MDPO_CROP.box(width, height, random);
        return new Box(box[0], box[1], box[2], box[3]);
    }

    /** A readable, file-system-safe name: the id's safe characters, then the hash that makes it unique. */
    private static String fileName(String id, long hash) {
        String readable = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 48) readable = readable.substring(0, 48);
        return readable + "-" + String.format("%016x", hash) + ".png";
    }
}
