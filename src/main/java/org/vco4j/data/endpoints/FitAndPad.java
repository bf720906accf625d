package org.vco4j.data.endpoints;

import org.vco4j.model.image.ResampleFilter;
import org.vco4j.model.image.RgbImage;

/**
 * IC-VCO's reversible padding (Appendix B) between an image and an editor that works on a fixed square canvas:
 * the image is resized to fit the canvas keeping its aspect ratio (Lanczos), centred, and the margins padded
 * white; after editing, the padding is cropped off by the recorded placement and the content resized back to the
 * image's own size (Lanczos). When the image's longer side equals the canvas no resampling happens on either way,
 * so the round trip is exact to the pixel; otherwise the unedited regions come back up to resampling error.
 *
 * @param width   the original image's width
 * @param height  the original image's height
 * @param canvas  the editor's square side
 * @param left    the content's left edge on the canvas
 * @param top     the content's top edge on the canvas
 * @param fitWidth  the content's width on the canvas
 * @param fitHeight the content's height on the canvas
 */
public record FitAndPad(int width, int height, int canvas, int left, int top, int fitWidth, int fitHeight) {
    private static final int WHITE = 255;

    /** The placement of a {@code width × height} image on a {@code canvas × canvas} square. */
    public static FitAndPad of(int width, int height, int canvas) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size " + width + "x" + height + " is empty");
        if (canvas < 1) throw new IllegalArgumentException("--editor-size must be >= 1, got " + canvas);
        double scale = (double) canvas / Math.max(width, height);
        int fitWidth = Math.max(1, Math.min(canvas, (int) Math.round(width * scale)));
        int fitHeight = Math.max(1, Math.min(canvas, (int) Math.round(height * scale)));
        return new FitAndPad(width, height, canvas, (canvas - fitWidth) / 2, (canvas - fitHeight) / 2, fitWidth, fitHeight);
    }

    /** The placement for {@code image}. */
    public static FitAndPad of(RgbImage image, int canvas) {
        return of(image.width(), image.height(), canvas);
    }

    /** The image fitted into the canvas and padded white: what the editor receives. */
    public RgbImage fit(RgbImage image) {
        if (image.width() != width || image.height() != height) {
            throw new IllegalArgumentException("image is " + image.width() + "x" + image.height() + ", the placement is for " + width + "x" + height);
        }
        RgbImage content = fitWidth == width && fitHeight == height ? image : image.resize(fitWidth, fitHeight, ResampleFilter.LANCZOS);
        return content.pad(top, canvas - fitHeight - top, left, canvas - fitWidth - left, WHITE, WHITE, WHITE);
    }

    /**
     * The editor's output mapped back onto the original image: the padding cropped off and the content resized to
     * the original size. An output of another square size is first resized to the canvas; a non-square one is refused.
     */
    public RgbImage restore(RgbImage edited) {
        if (edited.width() != edited.height()) {
            throw new IllegalArgumentException("the editor returned a " + edited.width() + "x" + edited.height()
                    + " image; expected a square (" + canvas + "x" + canvas + ")");
        }
        RgbImage square = edited.width() == canvas ? edited : edited.resize(canvas, canvas, ResampleFilter.LANCZOS);
        RgbImage content = square.crop(left, top, fitWidth, fitHeight);
        return fitWidth == width && fitHeight == height ? content : content.resize(width, height, ResampleFilter.LANCZOS);
    }
}
