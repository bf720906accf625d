package org.vco4j.model.siglip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Embedding;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/**
 * {@code SiglipVisionEmbeddings}: non-overlapping patch convolution with bias, plus learned positions; no
 * class token, so an image gives (image_size / patch_size)² tokens.
 */
final class SiglipVisionEmbeddings extends Module {
    private final SiglipVisionConfig config;
    private final PatchEmbedding patchEmbedding;
    private final Embedding positionEmbedding;

    SiglipVisionEmbeddings(ParameterFactory factory, SiglipVisionConfig config) {
        this.config = config;
        // Keys embeddings.patch_embedding.{weight,bias}, exactly as in the checkpoint.
        patchEmbedding = child("patch_embedding", new PatchEmbedding(factory, config));
        positionEmbedding = child("position_embedding",
                new Embedding(factory, config.numPatches(), config.hiddenSize));
    }

    Tensor forward(Tensor pixelValues) {
        long batch = pixelValues.size(0);
        long size = config.imageSize;
        if (pixelValues.dim() != 4 || pixelValues.size(1) != config.numChannels
                || pixelValues.size(2) != size || pixelValues.size(3) != size) {
            throw new IllegalArgumentException("pixel values have shape " + shape(pixelValues)
                    + " but the vision tower expects [batch, " + config.numChannels + ", " + size + ", " + size
                    + "] (vision_config.num_channels, vision_config.image_size)");
        }
        // A convolution whose stride equals its kernel is a matmul over non-overlapping patches (row-major
        // patch order, as conv2d(...).flatten(2).transpose(1, 2)). Like the unpadded convolution, pixels past
        // the last whole patch are ignored (384 pixels in 14-pixel patches: 27 patches, 6 pixels left over).
        long p = config.patchSize;
        long side = size / p;
        long channels = config.numChannels;
        Tensor weight = patchEmbedding.weight;
        Tensor used = side * p == size ? pixelValues : pixelValues.narrow(2, 0, side * p).narrow(3, 0, side * p);
        Tensor unfolded = used.to(weight.scalar_type()).reshape(batch, channels, side, p, side, p)
                .permute(0, 2, 4, 1, 3, 5).reshape(batch, side * side, channels * p * p);
        Tensor patches = Flops.linear(unfolded, weight.reshape(config.hiddenSize, channels * p * p), patchEmbedding.bias);
        return patches.add(positionEmbedding.weight().unsqueeze(0));
    }

    private static String shape(Tensor t) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < t.dim(); i++) out.append(i == 0 ? "" : ", ").append(t.size(i));
        return out.append(']').toString();
    }

    /** Holder for the convolution weight [hidden, channels, patch, patch] and bias [hidden]. */
    private static final class PatchEmbedding extends Module {
        final Tensor weight;
        final Tensor bias;

        PatchEmbedding(ParameterFactory factory, SiglipVisionConfig config) {
            weight = parameter("weight",
                    factory.zeros(config.hiddenSize, config.numChannels, config.patchSize, config.patchSize));
            bias = parameter("bias", factory.zeros(config.hiddenSize));
        }
    }
}
