package org.vco4j.model.dinov2;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code Dinov2Embeddings}: the patch convolution ({@code patch_embeddings.projection}, with bias), the
 * {@code cls_token} in front, and the learned {@code position_embeddings}, interpolated when the image is not the
 * pre-training size ({@link #interpolatePosEncoding}). The {@code mask_token} is loaded but only masked
 * pre-training would use it.
 */
final class Dinov2Embeddings extends Module {
    private final Dinov2Config config;
    private final Tensor clsToken;
    private final Tensor positionEmbeddings;
    private final Tensor projectionWeight;
    private final Tensor projectionBias;

    Dinov2Embeddings(ParameterFactory factory, Dinov2Config config) {
        this.config = config;
        int d = config.hiddenSize;
        clsToken = parameter("cls_token", factory.zeros(1, 1, d));
        if (config.useMaskToken) parameter("mask_token", factory.zeros(1, d));
        int side = config.patchesPerSide();
        positionEmbeddings = parameter("position_embeddings", factory.zeros(1, (long) side * side + 1, d));
        Container projection = child("patch_embeddings", new Container()).add("projection", new Container());
        projectionWeight = projection.addParameter("weight", factory.zeros(d, config.numChannels, config.patchSize, config.patchSize));
        projectionBias = projection.addParameter("bias", factory.zeros(d));
    }

    /** Tokens [batch, 1 + (H / patch)·(W / patch), hidden] of pixel values [batch, channels, H, W]. */
    Tensor forward(Tensor pixelValues) {
        long batch = pixelValues.size(0);
        if (pixelValues.dim() != 4 || pixelValues.size(1) != config.numChannels) {
            throw new IllegalArgumentException("pixel values must be [batch, " + config.numChannels + ", height, width] "
                    + "(num_channels), got " + pixelValues.dim() + " dimensions with " + pixelValues.size(1) + " channels");
        }
        long p = config.patchSize;
        long rows = pixelValues.size(2) / p;
        long cols = pixelValues.size(3) / p;
        if (rows == 0 || cols == 0) {
            throw new IllegalArgumentException("images of " + pixelValues.size(2) + "×" + pixelValues.size(3)
                    + " pixels are smaller than one " + p + "-pixel patch (patch_size)");
        }
        // The strided convolution as a matmul over whole patches; like the unpadded Conv2d, pixels past the last
        // whole patch are ignored.
        long channels = config.numChannels;
        Tensor used = pixelValues.narrow(2, 0, rows * p).narrow(3, 0, cols * p).to(projectionWeight.scalar_type());
        Tensor unfolded = used.reshape(batch, channels, rows, p, cols, p).permute(0, 2, 4, 1, 3, 5)
                .reshape(batch, rows * cols, channels * p * p);
        Tensor patches = Flops.linear(unfolded, projectionWeight.reshape(config.hiddenSize, channels * p * p), projectionBias);
        Tensor cls = clsToken.expand(batch, 1, config.hiddenSize);
        Tensor tokens = torch.cat(new TensorVector(cls, patches), 1);
        return tokens.add(interpolatePosEncoding(rows, cols));
    }

    /**
     * transformers' {@code interpolate_pos_encoding}: the learned grid unchanged for the pre-training size, else
     * resized to {@code rows × cols} by {@code F.interpolate(size=(rows, cols), mode="bicubic",
     * align_corners=False)} (no antialias, no scale factor) in float32, the class position kept as is. Older
     * transformers versions (and facebookresearch/dinov2) passed {@code scale_factor=((rows + 0.1) / side, ...)}
     * instead, which samples the grid at slightly different points; this follows the current code.
     */
    Tensor interpolatePosEncoding(long rows, long cols) {
        int side = config.patchesPerSide();
        if (rows == side && cols == side) return positionEmbeddings;
        long d = config.hiddenSize;
        ScalarType dtype = positionEmbeddings.scalar_type();
        Tensor classPosition = positionEmbeddings.narrow(1, 0, 1);
        Tensor grid = positionEmbeddings.narrow(1, 1, (long) side * side).reshape(1, side, side, d).permute(0, 3, 1, 2);
        Tensor resized = torch.upsample_bicubic2d(grid.to(ScalarType.Float), new long[] {rows, cols}, false).to(dtype);
        Tensor patchPositions = resized.permute(0, 2, 3, 1).reshape(1, rows * cols, d);
        return torch.cat(new TensorVector(classPosition, patchPositions), 1);
    }
}
