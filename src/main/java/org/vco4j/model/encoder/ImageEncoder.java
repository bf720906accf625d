package org.vco4j.model.encoder;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;

/**
 * An image encoder's model: pixel values in, one pooled embedding per image out, as its Hugging Face class
 * defines it (CLIP's {@code image_embeds}, SigLIP's head output, DINOv2's {@code pooler_output}). Its module tree
 * is named by the checkpoint's keys. Owns native memory through its module; close it.
 */
public interface ImageEncoder extends AutoCloseable {

    /** Pooled embeddings [batch, {@link #embeddingSize()}] of pixel values [batch, channels, H, W]; not normalised. */
    Tensor imageEmbeddings(Tensor pixelValues);

    /** The width of one embedding. */
    int embeddingSize();

    /** The parameters, named as in the checkpoint. */
    Module module();

    @Override
    void close();
}
