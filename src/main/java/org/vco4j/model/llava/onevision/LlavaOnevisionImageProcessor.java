package org.vco4j.model.llava.onevision;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.Json;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.image.ImageDimensions;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.model.processing.ImagePreprocessor;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * transformers' (slow, Pillow-based) {@code LlavaOnevisionImageProcessor} with its processor's token counts.
 *
 * <p>The only image of a prompt is tiled ("anyres"): the best of {@code image_grid_pinpoints} is chosen
 * ({@link AnyresGrid#bestResolution}), the image is resized into it keeping its aspect ratio
 * ({@link AnyresGrid#patchOutputSize}), padded to it with black (value 0 on the 8-bit image, before rescaling and
 * normalising, split as {@code divmod(diff, 2)}: the odd pixel goes to the bottom or right) and cut into
 * {@code size × size} tiles in row-major order; a base image, the whole picture resized to {@code size × size}
 * ignoring its aspect ratio, goes first. Each of several images of one prompt is not tiled: it is padded to a square
 * centred on a background of {@code int(255 · image_mean)} and resized to {@code size × size}. Rescaling and
 * normalising follow ({@link ImageProcessor#toPixelValues}).
 *
 * <p>Slots: {@link AnyresGrid#tiledFeatures} for a tiled image, {@link AnyresGrid#untiledFeatures} otherwise, as
 * {@code LlavaOnevisionProcessor._expand_image_tokens} counts them. "Several images of one prompt" is transformers'
 * {@code batch_num_images > 1}, which is what a chat template's images (or a nested list) give; a flat list of images
 * handed to the transformers processor instead counts as one image per sample and tiles each.
 */
public final class LlavaOnevisionImageProcessor implements ImagePreprocessor {
    private final ImageProcessor pixels;
    private final AnyresGrid grid;

    /**
     * @param settings the file's settings; its exact {@code size} must be the tower's tile, and resizing on
     * @param grid     the model's tiling geometry, whose pinpoints the file's {@code image_grid_pinpoints} must equal
     */
    public LlavaOnevisionImageProcessor(PreprocessorConfig settings, AnyresGrid grid) {
        if (settings.size().isShortestEdge() || settings.size().height() != grid.tileSize() || settings.size().width() != grid.tileSize()) {
            throw new IllegalArgumentException("size must be {\"height\": " + grid.tileSize() + ", \"width\": " + grid.tileSize()
                    + "} (the vision tower's image_size), got " + settings.size());
        }
        if (!settings.doResize()) {
            throw new IllegalArgumentException("do_resize false is not supported: tiles and images must come out at the tower's size");
        }
        if (settings.doCenterCrop()) {
            throw new IllegalArgumentException("do_center_crop true is not supported: LlavaOnevisionImageProcessor has no centre crop");
        }
        this.pixels = new ImageProcessor(settings);
        this.grid = grid;
    }

    /**
     * Reads {@code preprocessor_config.json}: the image settings (class defaults of LlavaOnevisionImageProcessor for
     * absent keys, so OpenAI CLIP's mean and std unless the file sets them), {@code image_grid_pinpoints} (which must
     * equal config.json's: the model places features by those) and {@code do_pad} (it pads a batch's tile counts to
     * the largest, which changes no feature: here each image keeps its own tiles). Errors name the file.
     */
    public static LlavaOnevisionImageProcessor read(Path file, AnyresGrid grid) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": not found (the image processor's settings)", e);
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            if (root == null || !root.isObject()) throw new IllegalArgumentException("must hold a JSON object");
            String type = root.path("image_processor_type").asText(null);
            if (type != null && !PreprocessorConfig.isOnevision(type)) {
                throw new IllegalArgumentException("image_processor_type '" + type + "' is not "
                        + PreprocessorConfig.ONEVISION_PROCESSOR + " (LLaVA-OneVision tiles its images)");
            }
            // Absent keys take this class's defaults, whether or not the file names its type.
            ObjectNode typed = ((ObjectNode) root).deepCopy().put("image_processor_type", type == null ? PreprocessorConfig.ONEVISION_PROCESSOR : type);
            PreprocessorConfig settings = PreprocessorConfig.fromJson(typed);
            if (root.hasNonNull("do_pad") && !root.get("do_pad").isBoolean()) {
                throw new IllegalArgumentException("do_pad must be true or false, got " + root.get("do_pad"));
            }
            if (root.hasNonNull("image_grid_pinpoints")) {
                List<ImageDimensions> pinpoints = pinpoints(root.get("image_grid_pinpoints"));
                if (!pinpoints.equals(grid.pinpoints())) {
                    throw new IllegalArgumentException("image_grid_pinpoints " + root.get("image_grid_pinpoints")
                            + " differ from config.json's (the model places the tiles' features by config.json's)");
                }
            } else if (!grid.pinpoints().equals(defaultPinpoints())) {
                throw new IllegalArgumentException("image_grid_pinpoints is absent (the class default: 384 to 2304 pixels) "
                        + "but config.json's differ (the model places the tiles' features by config.json's)");
            }
            return new LlavaOnevisionImageProcessor(settings, grid);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid image preprocessor config " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<ImageDimensions> defaultPinpoints() {
        return new LlavaOnevisionConfig().anyresGrid().pinpoints();
    }

    private static List<ImageDimensions> pinpoints(JsonNode node) {
        List<List<Integer>> pairs = ConfigJson.read(Json.MAPPER.createObjectNode().set("image_grid_pinpoints", node),
                PinpointsOnly.class).imageGridPinpoints;
        List<ImageDimensions> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            List<Integer> p = pairs.get(i);
            if (p == null || p.size() != 2 || p.stream().anyMatch(java.util.Objects::isNull) || p.get(0) <= 0 || p.get(1) <= 0) {
                throw new IllegalArgumentException("image_grid_pinpoints[" + i + "] must be a [height, width] pair of positive integers, got " + p);
            }
            out.add(new ImageDimensions(p.get(0), p.get(1)));
        }
        return out;
    }

    /** The one key read with the strict binder. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class PinpointsOnly {
        @JsonProperty("image_grid_pinpoints") public List<List<Integer>> imageGridPinpoints;
    }

    /** The tiling geometry. */
    public AnyresGrid grid() {
        return grid;
    }

    /** The settings the pixels are made with (size, resampling, rescaling, mean and std). */
    public PreprocessorConfig settings() {
        return pixels.config();
    }

    @Override
    public int[] slots(List<ImageDimensions> images) {
        int[] slots = new int[images.size()];
        if (images.size() == 1) {
            slots[0] = grid.tiledFeatures(images.get(0));
        } else {
            Arrays.fill(slots, grid.untiledFeatures());
        }
        return slots;
    }

    @Override
    public ImageInputs preprocess(List<RgbImage> images) {
        boolean tiled = images.size() == 1;
        List<RgbImage> rows = new ArrayList<>();
        List<ImageInput> inputs = new ArrayList<>();
        for (RgbImage image : images) {
            ImageDimensions original = ImageDimensions.of(image);
            String name = "image " + (inputs.size() + 1);
            if (tiled) {
                List<RgbImage> tiles = tiles(image);
                ImageDimensions best = grid.bestResolution(original);
                rows.addAll(tiles);
                inputs.add(new ImageInput(name, original, tiles.size(), grid.tiledFeatures(original),
                        best.height() / grid.tileSize(), best.width() / grid.tileSize()));
            } else {
                rows.add(untiled(image));
                inputs.add(ImageInput.single(name, original, grid.untiledFeatures()));
            }
        }
        int side = grid.tileSize();
        int plane = 3 * side * side;
        float[] values = new float[Math.multiplyExact(plane, rows.size())];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(pixels.toPixelValues(rows.get(i)), 0, values, i * plane, plane);
        Tensor pixelValues = Tensors.floats(values, rows.size(), 3, side, side);
        return new ImageInputs(pixelValues, inputs);
    }

    /**
     * {@code get_image_patches}: the base image (resized to the tile size) and then the tiles of the image resized
     * into its best resolution and padded to it, row by row; all 8-bit.
     */
    public List<RgbImage> tiles(RgbImage image) {
        ImageDimensions best = grid.bestResolution(ImageDimensions.of(image));
        ImageDimensions inside = AnyresGrid.patchOutputSize(ImageDimensions.of(image), best);
        RgbImage resized = image.resize(inside.width(), inside.height(), pixels.config().resample());
        int padY = best.height() - inside.height();
        int padX = best.width() - inside.width();
        RgbImage padded = resized.pad(padY / 2, padY - padY / 2, padX / 2, padX - padX / 2, 0, 0, 0);
        int side = grid.tileSize();
        List<RgbImage> out = new ArrayList<>();
        out.add(image.resize(side, side, pixels.config().resample()));
        for (int top = 0; top < best.height(); top += side) {
            for (int left = 0; left < best.width(); left += side) out.add(padded.crop(left, top, side, side));
        }
        return out;
    }

    /** An image of a multi-image prompt: padded to a square on the mean colour, resized to the tile size. */
    public RgbImage untiled(RgbImage image) {
        int[] background = pixels.config().backgroundColor();
        int side = grid.tileSize();
        return image.expandToSquare(background[0], background[1], background[2]).resize(side, side, pixels.config().resample());
    }
}
