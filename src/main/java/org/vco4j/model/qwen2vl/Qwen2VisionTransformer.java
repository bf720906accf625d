package org.vco4j.model.qwen2vl;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ModuleList;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ImageInput;
import org.vco4j.model.processing.ImageInputs;
import org.vco4j.tensor.Tensors;

import java.util.Arrays;
import java.util.List;

/**
 * transformers' {@code Qwen2VisionTransformerPretrainedModel}, the {@code visual} module of a Qwen2-VL checkpoint
 * (its parameters are named as the checkpoint's keys after {@code visual.}): {@code patch_embed}, {@code depth}
 * {@code blocks} with the 2-D rotary embedding, and the {@code merger} that turns each 2×2 window of patches into
 * one token of the text model's width.
 *
 * <p>Images of any size go through in one call: their patches are concatenated and attention is restricted to the
 * patches of the same image, so each image's features are those it would get alone.
 */
public final class Qwen2VisionTransformer extends Module {
    private final Qwen2VLVisionConfig config;
    private final ParameterFactory factory;
    private final Qwen2VLPatchEmbed patchEmbed;
    private final ModuleList<Qwen2VLVisionBlock> blocks = new ModuleList<>();
    private final Qwen2VLPatchMerger merger;

    public Qwen2VisionTransformer(ParameterFactory factory, Qwen2VLVisionConfig config) {
        config.validate("vision_config");
        this.config = config;
        this.factory = factory;
        patchEmbed = child("patch_embed", new Qwen2VLPatchEmbed(factory, config));
        child("blocks", blocks);
        for (int i = 0; i < config.depth; i++) blocks.add(new Qwen2VLVisionBlock(factory, config));
        merger = child("merger", new Qwen2VLPatchMerger(factory, config));
    }

    public Qwen2VLVisionConfig config() {
        return config;
    }

    /**
     * The merged features of every image, one after the other: [sum of h·w / merge², hidden_size] for images of
     * (h, w) patches ({@link ImageInput#gridHeight()}, {@link ImageInput#gridWidth()}) whose patch rows, in
     * merge-window order, make up the pixel values. Each image must yield the number of tokens its prompt has.
     */
    public Tensor forward(ImageInputs inputs) {
        int[][] grids = grids(inputs);
        Tensor hidden = patchEmbed.forward(Tensors.upload(inputs.pixelValues(), factory.device(), factory.dtype()));
        Tensor positions = Qwen2VLVisionRotary.positions(grids, config.spatialMergeSize);
        Tensor[] cosSin = Qwen2VLVisionRotary.cosSin(positions, config.headDim());
        Tensor cos = cosSin[0].to(factory.device(), ScalarType.Float);
        Tensor sin = cosSin[1].to(factory.device(), ScalarType.Float);
        Tensor mask = grids.length == 1 ? null : sameImageMask(grids).to(factory.device(), ScalarType.Bool);
        for (Qwen2VLVisionBlock block : blocks.items()) {
            Tensor input = hidden;
            hidden = Tensors.freeingIntermediates(() -> block.forward(input, cos, sin, mask));
        }
        Tensor merged = merger.forward(hidden);
        int window = config.spatialMergeSize * config.spatialMergeSize;
        List<ImageInput> images = inputs.images();
        for (int i = 0; i < images.size(); i++) images.get(i).checkFeatures((long) grids[i][0] * grids[i][1] / window);
        return merged;
    }

    /** Each image's (h, w) patch grid, checked against its rows, the merge size and the row width. */
    private int[][] grids(ImageInputs inputs) {
        Tensor pixels = inputs.pixelValues();
        if (pixels.dim() != 2 || pixels.size(1) != config.patchValues()) {
            throw new IllegalArgumentException("Qwen2-VL pixel values must be patch rows of " + config.patchValues()
                    + " values (channels · temporal_patch_size · patch_size²), got shape " + Arrays.toString(Tensors.shape(pixels)));
        }
        List<ImageInput> images = inputs.images();
        int[][] grids = new int[images.size()][];
        int merge = config.spatialMergeSize;
        for (int i = 0; i < grids.length; i++) {
            ImageInput image = images.get(i);
            int h = image.gridHeight();
            int w = image.gridWidth();
            if (h < merge || w < merge || h % merge != 0 || w % merge != 0 || (long) h * w != image.rows()) {
                throw new IllegalArgumentException(image.name() + ": a grid of " + h + "×" + w + " patches over "
                        + image.rows() + " rows does not fit the tower (the grid must cover the rows, each side a multiple of "
                        + "spatial_merge_size " + merge + ")");
            }
            grids[i] = new int[] {h, w};
        }
        return grids;
    }

    /** [N, N] true where both patches belong to the same image: the block-diagonal of {@code cu_seqlens}. */
    static Tensor sameImageMask(int[][] grids) {
        long total = 0;
        for (int[] g : grids) total += (long) g[0] * g[1];
        long[] image = new long[(int) total];
        int at = 0;
        for (int i = 0; i < grids.length; i++) {
            int patches = grids[i][0] * grids[i][1];
            Arrays.fill(image, at, at + patches, i);
            at += patches;
        }
        Tensor ids = Tensors.longs(image, total);
        return ids.unsqueeze(0).eq(ids.unsqueeze(1));
    }
}
