package org.vco4j.model.llava.onevision;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.model.llava.LlavaForConditionalGeneration;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code LlavaOnevisionForConditionalGeneration}: LLaVA's tower, projector and decoder, plus the learned
 * {@code model.image_newline} and transformers' {@code pack_image_features}. A tiled image (the only image of its
 * prompt) becomes its base image's features followed by its tiles' features laid out as one spatial map, cut to the
 * image's own aspect ratio ({@code unpad_image}), bilinearly downsized when larger than {@code anyres_max_N} allows,
 * with the newline after every row. An image that is not tiled (one of several in a prompt) becomes its features and
 * one newline.
 *
 * <p>Owns native memory (all parameters); close it when done.
 */
public final class LlavaOnevisionForConditionalGeneration extends LlavaForConditionalGeneration {
    private final AnyresGrid grid;
    private final Tensor imageNewline;

    public LlavaOnevisionForConditionalGeneration(ParameterFactory factory, LlavaOnevisionConfig config) {
        super(factory, config);
        grid = config.anyresGrid();
        imageNewline = model().addParameter("image_newline", factory.zeros(config.textConfig.hiddenSize));
    }

    /** Each image's packed features, image after image; fails naming the image when its rows differ from its slots. */
    @Override
    public Tensor encodeImages(ImageInputs images) {
        Tensor tiles = tileFeatures(images.pixelValues());
        List<Tensor> packed = new ArrayList<>();
        long row = 0;
        for (ImageInput image : images.images()) {
            Tensor features = pack(tiles.narrow(0, row, image.rows()), image);
            row += image.rows();
            image.checkFeatures(features.size(0));
            packed.add(features);
        }
        return Tensors.cat(packed, 0);
    }

    /** One image's features from its tiles' features [rows, tokensPerSide², hidden]. */
    private Tensor pack(Tensor tiles, ImageInput image) {
        if (image.gridHeight() == 0) {
            if (image.rows() != 1) {
                throw new IllegalStateException(image.name() + ": an image that is not tiled has one row of pixel values, got "
                        + image.rows());
            }
            return Tensors.cat(List.of(tiles.select(0, 0), imageNewline.unsqueeze(0).to(tiles.scalar_type())), 0);
        }
        AnyresGrid.Layout layout = grid.layout(image.original());
        if (layout.gridHeight() != image.gridHeight() || layout.gridWidth() != image.gridWidth() || image.rows() != 1 + layout.tiles()) {
            throw new IllegalStateException(image.name() + " (" + image.original() + "): the processor tiled it " + image.gridHeight()
                    + "×" + image.gridWidth() + " in " + image.rows() + " rows, but image_grid_pinpoints give " + layout.gridHeight()
                    + "×" + layout.gridWidth() + " tiles after the base image");
        }
        return packTiled(tiles, layout, grid.tokensPerSide(), imageNewline);
    }

    /**
     * The base image's rows (tile 0), then the tiles' map: tiles 1.. in row-major order viewed as
     * (gridHeight, gridWidth, side, side, C), rearranged to a (C, gridHeight·side, gridWidth·side) map, cut to the
     * layout's kept rows and columns, bilinearly resized (align_corners false, as {@code F.interpolate}) when the layout
     * is downsized, a newline column appended, and flattened row by row.
     */
    static Tensor packTiled(Tensor tiles, AnyresGrid.Layout layout, int side, Tensor newline) {
        long channels = tiles.size(2);
        Tensor map = tiles.narrow(0, 1, layout.tiles())
                .view(layout.gridHeight(), layout.gridWidth(), side, side, channels)
                .permute(4, 0, 2, 1, 3).contiguous()
                .view(channels, (long) layout.gridHeight() * side, (long) layout.gridWidth() * side);
        map = map.narrow(1, layout.top(), layout.keptHeight()).narrow(2, layout.left(), layout.keptWidth());
        if (layout.downsized()) {
            map = torch.upsample_bilinear2d(map.unsqueeze(0), new long[] {layout.height(), layout.width()}, false).squeeze(0);
        }
        Tensor newlines = newline.to(map.scalar_type()).view(channels, 1, 1).expand(channels, layout.height(), 1);
        Tensor rows = Tensors.cat(List.of(map, newlines), 2).flatten(1, 2).transpose(0, 1);
        return Tensors.cat(List.of(tiles.select(0, 0), rows), 0);
    }
}
