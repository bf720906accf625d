package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.Json;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.image.ResampleFilter;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.model.processing.ImagePreprocessor;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * transformers' {@code Qwen2VLImageProcessor} (the slow, Pillow-based one): each image is resized by
 * {@link #smartResize} to multiples of {@code patch_size · merge_size} (28) within {@code [min_pixels, max_pixels]},
 * rescaled and normalised (CLIP's mean and std by default), repeated {@code temporal_patch_size} (2) times as a
 * still "video" of two identical frames, and cut into 14×14×2 patches flattened to rows of 3·2·14·14 = 1176 values
 * in merge-window order: the patches of each 2×2 window are consecutive, windows row-major, as the vision tower's
 * patch merger expects. An image of grid {@code (1, h, w)} patches takes {@code h·w / merge²} image tokens.
 *
 * @param minPixels          the smallest area an image is resized to
 * @param maxPixels          the largest area an image is resized to
 * @param patchSize          the tower's spatial patch (14)
 * @param temporalPatchSize  frames per patch (2)
 * @param mergeSize          patches merged per side into one token (2)
 * @param pixels             rescale and normalise settings (no resize or crop: {@link #smartResize} does that)
 */
public record Qwen2VLImageProcessor(long minPixels, long maxPixels, int patchSize, int temporalPatchSize, int mergeSize,
                                    ResampleFilter resample, PreprocessorConfig pixels) implements ImagePreprocessor {
    public static final String PROCESSOR_TYPE = "Qwen2VLImageProcessor";

    public Qwen2VLImageProcessor {
        if (patchSize < 1 || temporalPatchSize < 1 || mergeSize < 1) {
            throw new IllegalArgumentException("patch_size, temporal_patch_size and merge_size must be positive");
        }
        if (minPixels < 1 || maxPixels < minPixels) {
            throw new IllegalArgumentException("min_pixels and max_pixels must satisfy 1 <= min_pixels <= max_pixels, got "
                    + minPixels + " and " + maxPixels);
        }
    }

    /** The processor of a {@code preprocessor_config.json}, with transformers' class defaults for absent keys. */
    public static Qwen2VLImageProcessor read(Path file) throws IOException {
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        if (root == null || !root.isObject()) throw new ModelLoadException(file + ": must hold a JSON object");
        PreprocessorConfig pixels = PreprocessorConfig.read(file);
        JsonNode size = root.path("size");
        // Newer files state the bounds as size {shortest_edge: min_pixels, longest_edge: max_pixels}.
        long min = root.path("min_pixels").asLong(size.path("shortest_edge").asLong(56 * 56));
        long max = root.path("max_pixels").asLong(size.path("longest_edge").asLong(28 * 28 * 1280));
        try {
            return new Qwen2VLImageProcessor(min, max, root.path("patch_size").asInt(14), root.path("temporal_patch_size").asInt(2),
                    root.path("merge_size").asInt(2), pixels.resample(), pixels);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code smart_resize}: the height and width nearest the image's (Python's round, half to even) in multiples of
     * {@code factor}; scaled down to fit {@code maxPixels} (floors) or up to reach {@code minPixels} (ceilings), keeping
     * the aspect ratio as closely as the multiples allow.
     */
    public static ImageDimensions smartResize(int height, int width, int factor, long minPixels, long maxPixels) {
        if ((double) Math.max(height, width) / Math.min(height, width) > 200) {
            throw new IllegalArgumentException("image of " + width + "x" + height + ": the aspect ratio must be at most 200");
        }
        long h = Math.round(Math.rint((double) height / factor)) * factor;
        long w = Math.round(Math.rint((double) width / factor)) * factor;
        if (h * w > maxPixels) {
            double beta = Math.sqrt((double) height * width / maxPixels);
            h = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
            w = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
        } else if (h * w < minPixels) {
            double beta = Math.sqrt((double) minPixels / ((double) height * width));
            h = (long) Math.ceil(height * beta / factor) * factor;
            w = (long) Math.ceil(width * beta / factor) * factor;
        }
        return new ImageDimensions((int) h, (int) w);
    }

    /** The size an image of these dimensions is resized to. */
    public ImageDimensions resized(ImageDimensions original) {
        return smartResize(original.height(), original.width(), patchSize * mergeSize, minPixels, maxPixels);
    }

    @Override
    public int[] slots(List<ImageDimensions> images) {
        int[] slots = new int[images.size()];
        for (int i = 0; i < slots.length; i++) {
            ImageDimensions size = resized(images.get(i));
            slots[i] = (size.height() / patchSize) * (size.width() / patchSize) / (mergeSize * mergeSize);
        }
        return slots;
    }

    /** Every image's patches, [sum of h·w, 3·T·14·14]; each image's grid (h, w) in patches. */
    @Override
    public ImageInputs preprocess(List<RgbImage> images) {
        ImageProcessor normaliser = new ImageProcessor(pixels);
        List<Tensor> rows = new ArrayList<>();
        List<ImageInput> inputs = new ArrayList<>();
        int[] slots = slots(images.stream().map(ImageDimensions::of).toList());
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            ImageDimensions size = resized(ImageDimensions.of(image));
            RgbImage resized = image.resize(size.width(), size.height(), resample);
            Tensor frame = Tensors.floats(normaliser.toPixelValues(resized), 3, size.height(), size.width());
            int gh = size.height() / patchSize;
            int gw = size.width() / patchSize;
            int m = mergeSize;
            // (T, C, H, W) → (t, T, C, h/m, m, p, w/m, m, p) → (t, h/m, w/m, m, m, C, T, p, p) → rows of C·T·p·p.
            Tensor patches = frame.unsqueeze(0).expand(temporalPatchSize, 3, size.height(), size.width())
                    .reshape(1, temporalPatchSize, 3, gh / m, m, patchSize, gw / m, m, patchSize)
                    .permute(0, 3, 6, 4, 7, 2, 1, 5, 8)
                    .reshape((long) gh * gw, 3L * temporalPatchSize * patchSize * patchSize);
            rows.add(patches);
            inputs.add(new ImageInput("image " + (i + 1), ImageDimensions.of(image), gh * gw, slots[i], gh, gw));
        }
        return new ImageInputs(Tensors.cat(rows, 0), inputs);
    }
}
