package org.vco4j.model.llava.onevision;

import org.vco4j.model.image.ImageDimensions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * LLaVA-OneVision's "anyres_max" geometry, the arithmetic transformers repeats in the image processor
 * ({@code select_best_resolution}, {@code get_patch_output_size}), the processor ({@code _get_number_of_features},
 * {@code _get_unpadded_features}) and the model ({@code unpad_image}, {@code pack_image_features}). It is written once
 * here, with Python's rounding, and both the processor and the model use it, so an image's slots and its feature rows
 * cannot disagree.
 *
 * @param pinpoints      {@code image_grid_pinpoints}: the (height, width) resolutions an image may be tiled at, each
 *                       a multiple of the tile size
 * @param tileSize       the tower's {@code image_size}: tiles and the base image are this many pixels a side
 * @param tokensPerSide  {@code image_size // patch_size}: each tile gives this many feature rows and columns
 * @param maxNumPatches  the N of {@code vision_aspect_ratio} "anyres_max_N": an unpadded feature grid larger than
 *                       about N tiles' worth (ratio above 1.1) is downsized to it
 */
public record AnyresGrid(List<ImageDimensions> pinpoints, int tileSize, int tokensPerSide, int maxNumPatches) {
    /** Above this ratio of the unpadded grid to N tiles' features, the grid is downsized (transformers' constant). */
    static final double DOWNSIZE_THRESHOLD = 1.1;

    public AnyresGrid {
        pinpoints = List.copyOf(pinpoints);
        if (pinpoints.isEmpty()) throw new IllegalArgumentException("image_grid_pinpoints must not be empty");
    }

    /** Where a tiled image's features go: its tile grid, the rows and columns unpadding keeps, and the final map. */
    public record Layout(int gridHeight, int gridWidth, int top, int keptHeight, int left, int keptWidth,
                         int height, int width) {
        /** Whether the kept map is downsized ({@code anyres_max}) to {@link #height} × {@link #width}. */
        public boolean downsized() {
            return height != keptHeight || width != keptWidth;
        }

        /** Tiles after the base image. */
        public int tiles() {
            return gridHeight * gridWidth;
        }
    }

    /** Feature rows of one tile (and of the base image): {@code tokensPerSide²}, 729 for SigLIP at 384 px. */
    public int tileFeatures() {
        return tokensPerSide * tokensPerSide;
    }

    /** Feature rows of an image that is not tiled (an image of a multi-image prompt): the base and one newline. */
    public int untiledFeatures() {
        return tileFeatures() + 1;
    }

    /**
     * Feature rows of a tiled image: the base image, then every row of the (unpadded, possibly downsized) map
     * followed by one newline, as transformers' processor counts them.
     */
    public int tiledFeatures(ImageDimensions original) {
        Layout layout = layout(original);
        return tileFeatures() + layout.height() * (layout.width() + 1);
    }

    /**
     * {@code select_best_resolution}: the pinpoint that keeps the most of the image's pixels once it is scaled to fit,
     * ties broken by the least wasted area, the first of equals winning (so an image too thin to keep a pixel anywhere
     * gets the smallest pinpoint).
     */
    public ImageDimensions bestResolution(ImageDimensions original) {
        ImageDimensions best = null;
        long maxEffective = 0;
        long minWasted = Long.MAX_VALUE;
        long originalArea = (long) original.width() * original.height();
        for (ImageDimensions pinpoint : pinpoints) {
            double scale = Math.min((double) pinpoint.width() / original.width(), (double) pinpoint.height() / original.height());
            long downscaledWidth = (long) (original.width() * scale);
            long downscaledHeight = (long) (original.height() * scale);
            long effective = Math.min(downscaledWidth * downscaledHeight, originalArea);
            long wasted = (long) pinpoint.width() * pinpoint.height() - effective;
            if (effective > maxEffective || (effective == maxEffective && wasted < minWasted)) {
                maxEffective = effective;
                minWasted = wasted;
                best = pinpoint;
            }
        }
        return best;
    }

    /**
     * {@code get_patch_output_size}: the size the image is resized to inside {@code target}, keeping its aspect ratio
     * (the side with the smaller scale fills the target, the other is {@code ceil}ed and capped).
     */
    public static ImageDimensions patchOutputSize(ImageDimensions image, ImageDimensions target) {
        double scaleWidth = (double) target.width() / image.width();
        double scaleHeight = (double) target.height() / image.height();
        if (scaleWidth < scaleHeight) {
            return new ImageDimensions((int) Math.min(Math.ceil(image.height() * scaleWidth), target.height()), target.width());
        }
        return new ImageDimensions(target.height(), (int) Math.min(Math.ceil(image.width() * scaleHeight), target.width()));
    }

    /**
     * The layout of a tiled image's features: the best resolution's tile grid; {@code unpad_image} on the
     * {@code grid × tokensPerSide} map (the rows or columns that show padding are cut, symmetrically, with
     * {@code int(round(x, 7))}); then the {@code anyres_max} downsizing to {@code (int(h // ratio), int(w // ratio))}
     * when {@code ratio = sqrt(h * w / (N * tokensPerSide²))} exceeds 1.1.
     */
    public Layout layout(ImageDimensions original) {
        ImageDimensions best = bestResolution(original);
        int gridHeight = best.height() / tileSize;
        int gridWidth = best.width() / tileSize;
        int currentHeight = gridHeight * tokensPerSide;
        int currentWidth = gridWidth * tokensPerSide;
        int top = 0;
        int left = 0;
        int keptHeight = currentHeight;
        int keptWidth = currentWidth;
        double originalAspectRatio = (double) original.width() / original.height();
        double currentAspectRatio = (double) currentWidth / currentHeight;
        if (originalAspectRatio > currentAspectRatio) {
            int newHeight = roundTo7Digits(original.height() * ((double) currentWidth / original.width()));
            top = (currentHeight - newHeight) / 2;
            keptHeight = currentHeight - 2 * top;
        } else {
            int newWidth = roundTo7Digits(original.width() * ((double) currentHeight / original.height()));
            left = (currentWidth - newWidth) / 2;
            keptWidth = currentWidth - 2 * left;
        }
        double ratio = Math.sqrt((double) keptHeight * keptWidth / ((long) maxNumPatches * tokensPerSide * tokensPerSide));
        int height = keptHeight;
        int width = keptWidth;
        if (ratio > DOWNSIZE_THRESHOLD) {
            height = (int) pythonFloorDivide(keptHeight, ratio);
            width = (int) pythonFloorDivide(keptWidth, ratio);
        }
        return new Layout(gridHeight, gridWidth, top, keptHeight, left, keptWidth, height, width);
    }

    /**
     * Python's {@code int(round(x, 7))} for a non-negative float: rounded half-even at the seventh decimal of its
     * exact binary value (what Python's correctly rounded {@code round} does), then truncated. It turns
     * 26.999999999999996 into 27 where a plain {@code int()} would give 26.
     */
    static int roundTo7Digits(double x) {
        return new BigDecimal(x).setScale(7, RoundingMode.HALF_EVEN).intValue();
    }

    /**
     * Python's float floor division {@code a // b}, which is not always {@code floor(a / b)} ({@code 1 // 0.1} is 9):
     * CPython takes the quotient of {@code a - fmod(a, b)} and rounds that to the nearest integer.
     */
    static double pythonFloorDivide(double a, double b) {
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1.0;
        if (div == 0) return 0.0;
        double floor = Math.floor(div);
        return div - floor > 0.5 ? floor + 1.0 : floor;
    }
}
