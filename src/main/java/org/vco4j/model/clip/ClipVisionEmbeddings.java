package org.vco4j.model.clip;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.Embedding;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;

/** {@code CLIPVisionEmbeddings}: class token, non-overlapping patch convolution, learned positions. */
final class ClipVisionEmbeddings extends Module {
    private final ClipVisionConfig config;
    private final Tensor classEmbedding;
    private final Tensor patchWeight;
    private final Embedding positionEmbedding;

    ClipVisionEmbeddings(ParameterFactory factory, ClipVisionConfig config) {
        this.config = config;
        classEmbedding = parameter("class_embedding", factory.zeros(config.hiddenSize));
        // CLIP's patch embedding is a bias-free Conv2d; it stands alone as a module so its key is
        // embeddings.patch_embedding.weight, exactly as in the checkpoint.
        patchWeight = child("patch_embedding", new PatchEmbedding(factory, config)).weight;
        positionEmbedding = child("position_embedding",
                new Embedding(factory, config.numPatches() + 1, config.hiddenSize));
    }

    Tensor forward(Tensor pixelValues) {
        long batch = pixelValues.size(0);
        long size = config.imageSize;
        if (pixelValues.size(2) != size || pixelValues.size(3) != size) {
            throw new IllegalArgumentException("pixel values are " + pixelValues.size(2) + "×" + pixelValues.size(3)
                    + " but the vision tower expects " + size + "×" + size + " (vision_config.image_size)");
        }
        // A convolution whose stride equals its kernel is a matmul over non-overlapping patches; written that
        // way it avoids libtorch's convolution set-up, which dominates at small image sizes.
        long p = config.patchSize;
        long side = size / p;
        long channels = config.numChannels;
        Tensor unfolded = pixelValues.to(patchWeight.scalar_type()).reshape(batch, channels, side, p, side, p)
                .permute(0, 2, 4, 1, 3, 5).reshape(batch, side * side, channels * p * p);
        Tensor patches = Flops.linear(unfolded, patchWeight.reshape(config.hiddenSize, channels * p * p), null);
        Tensor cls = classEmbedding.view(1, 1, -1).expand(batch, 1, config.hiddenSize);
        Tensor tokens = torch.cat(new org.bytedeco.pytorch.TensorVector(cls, patches), 1);
        return tokens.add(positionEmbedding.weight().unsqueeze(0));
    }

    /** Holder for the convolution weight [hidden, channels, patch, patch]. */
    private static final class PatchEmbedding extends Module {
        final Tensor weight;

        PatchEmbedding(ParameterFactory factory, ClipVisionConfig config) {
            weight = parameter("weight",
                    factory.zeros(config.hiddenSize, config.numChannels, config.patchSize, config.patchSize));
        }
    }
}
