package org.vco4j.request;

import org.vco4j.common.AtomicFiles;
import org.vco4j.data.Sample;
import org.vco4j.data.SeededHash;

import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.ResampleFilter;
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
    /** The range of the crop's aspect ratio, width over height (torchvision's default {@code ratio}). */
    public static final double MIN_RATIO = 3.0 / 4.0;
    public static final double MAX_RATIO = 4.0 / 3.0;
    /** Draws before torchvision falls back to a centre crop. */
    public static final int ATTEMPTS = 10;

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
        Box box = box(image.width(), image.height(), random);
        return image.crop(box.left(), box.top(), box.width(), box.height())
                .resize(image.width(), image.height(), ResampleFilter.BILINEAR);
    }

    /** torchvision's {@code RandomResizedCrop.get_params} with mDPO's scale and the default ratio. */
    public static Box box(int width, int height, RandomGenerator random) {
        double area = (double) width * height;
        double logMinRatio = Math.log(MIN_RATIO);
        double logMaxRatio = Math.log(MAX_RATIO);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * uniform(random, MIN_SCALE, MAX_SCALE);
            double aspectRatio = Math.exp(uniform(random, logMinRatio, logMaxRatio));
            // Python's round() rounds halves to even, as Math.rint does.
            int w = (int) Math.rint(Math.sqrt(targetArea * aspectRatio));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspectRatio));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new Box(left, top, w, h);
            }
        }
        // torchvision's fallback: a centre crop clamped to the ratio range (the whole image when it fits).
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < MIN_RATIO) {
            h = (int) Math.rint(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            w = (int) Math.rint(h * MAX_RATIO);
        }
        return new Box((width - w) / 2, (height - h) / 2, w, h);
    }

    private static double uniform(RandomGenerator random, double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    /** A readable, file-system-safe name: the id's safe characters, then the hash that makes it unique. */
    private static String fileName(String id, long hash) {
        String readable = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 48) readable = readable.substring(0, 48);
        return readable + "-" + String.format("%016x", hash) + ".png";
    }
}
