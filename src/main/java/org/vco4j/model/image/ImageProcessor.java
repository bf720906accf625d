package org.vco4j.model.image;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.tensor.Tensors;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns images into CLIP or SigLIP pixel values the way transformers' (slow, Pillow-based)
 * {@code CLIPImageProcessor.preprocess} / {@code SiglipImageProcessor.preprocess} do, with LLaVA's optional
 * pad-to-square in front (SigLIP is CLIP's pipeline with an exact-size resize, no crop and mean/std 0.5):
 * <ol>
 *   <li>convert to RGB ({@link RgbImage#of});</li>
 *   <li>if {@link PreprocessorConfig#padToSquare()}: LLaVA's {@code expand2square} with
 *       {@link PreprocessorConfig#backgroundColor()};</li>
 *   <li>resize with Pillow's resampler to {@link #resizedSize} (short side = N, long side =
 *       {@code int(N * long / short)}, or the exact height and width);</li>
 *   <li>centre crop as transformers' {@code center_crop};</li>
 *   <li>rescale: {@code float32(uint8 * rescale_factor)} computed in double precision;</li>
 *   <li>normalise: {@code (x - mean) / std} in float32 arithmetic with float32 mean and std.</li>
 * </ol>
 * Output is channels-first float32. Tensors are created in the caller's
 * {@link org.bytedeco.javacpp.PointerScope}; nothing here holds native memory.
 */
public final class ImageProcessor {
    private final PreprocessorConfig config;
    private final float[] mean = new float[3];
    private final float[] std = new float[3];

    public ImageProcessor(PreprocessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        double[] m = config.imageMean();
        double[] s = config.imageStd();
        for (int c = 0; c < 3; c++) {
            // numpy builds the statistics as float32 arrays before the float32 arithmetic.
            mean[c] = (float) m[c];
            std[c] = (float) s[c];
        }
    }

    public PreprocessorConfig config() {
        return config;
    }

    /** A float32 tensor [3, H, W] of pixel values. */
    public Tensor preprocess(BufferedImage image) {
        return preprocess(RgbImage.of(image));
    }

    /**
     * A float32 tensor [3, H, W] of pixel values. The values of the last images seen are kept (by image identity, up to
     * {@value #CACHE_BYTES} bytes): with {@link DecodedImages} handing out one instance per file, an image used again
     * in a later step is neither resized nor normalised again.
     */
    public Tensor preprocess(RgbImage image) {
        Pixels pixels;
        synchronized (recent) {
            pixels = recent.get(new Identity(image));
        }
        if (pixels == null) {
            RgbImage prepared = prepare(image);
            pixels = new Pixels(toPixelValues(prepared), prepared.height(), prepared.width());
            synchronized (recent) {
                if (recent.put(new Identity(image), pixels) == null) recentBytes += 4L * pixels.values().length;
                for (var oldest = recent.values().iterator(); recentBytes > CACHE_BYTES && oldest.hasNext(); ) {
                    recentBytes -= 4L * oldest.next().values().length;
                    oldest.remove();
                }
            }
        }
        return Tensors.floats(pixels.values(), 3, pixels.height(), pixels.width());
    }

    /** Bytes of pixel values kept for images seen again. */
    static final long CACHE_BYTES = 256L << 20;

    private record Pixels(float[] values, int height, int width) {}

    /** An image by identity: hashing its pixels on every lookup would cost what the cache saves. */
    private record Identity(RgbImage image) {
        @Override public boolean equals(Object o) { return o instanceof Identity other && other.image == image; }
        @Override public int hashCode() { return System.identityHashCode(image); }
    }

    private final java.util.LinkedHashMap<Identity, Pixels> recent = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private long recentBytes;

    /**
     * A float32 tensor [N, 3, H, W]. All images must come out the same size (always so with centre
     * cropping, which CLIP configurations enable).
     */
    public Tensor preprocessBatch(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("cannot preprocess an empty batch");
        }
        List<RgbImage> prepared = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            RgbImage p = prepare(RgbImage.of(image));
            RgbImage first = prepared.isEmpty() ? p : prepared.get(0);
            if (p.width() != first.width() || p.height() != first.height()) {
                throw new IllegalArgumentException("image " + prepared.size() + " preprocesses to " + p.width() + "x" + p.height()
                        + " but image 0 to " + first.width() + "x" + first.height() + "; enable centre cropping to batch them");
            }
            prepared.add(p);
        }
        RgbImage first = prepared.get(0);
        int plane = 3 * first.width() * first.height();
        float[] all = new float[Math.multiplyExact(plane, prepared.size())];
        for (int i = 0; i < prepared.size(); i++) {
            System.arraycopy(toPixelValues(prepared.get(i)), 0, all, i * plane, plane);
        }
        return Tensors.floats(all, prepared.size(), 3, first.height(), first.width());
    }

    /** The 8-bit stages: padding, resizing and cropping, as configured. */
    public RgbImage prepare(RgbImage image) {
        RgbImage img = image;
        if (config.padToSquare()) {
            int[] bg = config.backgroundColor();
            img = img.expandToSquare(bg[0], bg[1], bg[2]);
        }
        if (config.doResize()) {
            int[] hw = resizedSize(img.height(), img.width());
            img = img.resize(hw[1], hw[0], config.resample());
        }
        if (config.doCenterCrop()) {
            img = img.centerCrop(config.cropSize().height(), config.cropSize().width());
        }
        return img;
    }

    /** Rescaled and normalised values of an already prepared image, channels first. */
    public float[] toPixelValues(RgbImage prepared) {
        int w = prepared.width();
        int h = prepared.height();
        byte[] rgb = prepared.data();
        float[] out = new float[3 * w * h];
        double factor = config.rescaleFactor();
        boolean rescale = config.doRescale();
        boolean normalize = config.doNormalize();
        for (int c = 0; c < 3; c++) {
            int planeOffset = c * w * h;
            for (int i = 0; i < w * h; i++) {
                int v = rgb[i * 3 + c] & 0xFF;
                // transformers multiplies in float64 and only then casts to float32.
                float f = rescale ? (float) (v * factor) : v;
                if (normalize) f = (f - mean[c]) / std[c];
                out[planeOffset + i] = f;
            }
        }
        return out;
    }

    /**
     * The (height, width) the resize step produces for an image of the given size: the configured exact
     * size, or transformers' {@code get_resize_output_image_size(..., default_to_square=False)}.
     */
    public int[] resizedSize(int height, int width) {
        ImageSize size = config.size();
        if (!size.isShortestEdge()) {
            return new int[] {size.height(), size.width()};
        }
        int n = size.shortestEdge();
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        // Python: int(n * long / short) -- exact integer product, correctly rounded true division, truncation.
        int newLong = (int) ((double) ((long) n * longSide) / shortSide);
        return width <= height ? new int[] {newLong, n} : new int[] {n, newLong};
    }
}
