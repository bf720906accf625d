package org.vco4j.model.dinov2;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.encoder.ImageEncoder;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;

/**
 * {@code Dinov2Model}: {@code embeddings} (class token, patches, interpolated positions), the pre-norm
 * {@code encoder} with layer scale (the shared ViT layer in {@link org.vco4j.model.vit.VitLayout#DINOV2}'s names)
 * and the final {@code layernorm}; the pooled output is the class token after that norm. Parameter names are
 * the checkpoint's keys.
 */
public final class Dinov2Model extends Module implements ImageEncoder {
    private final Dinov2Config config;
    private final Dinov2Embeddings embeddings;
    private final VitEncoder encoder;
    private final LayerNorm layernorm;

    public Dinov2Model(ParameterFactory factory, Dinov2Config config) {
        config.validate();
        this.config = config;
        embeddings = child("embeddings", new Dinov2Embeddings(factory, config));
        encoder = child("encoder", new VitEncoder(factory, config.encoderSpec()));
        layernorm = child("layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
    }

    public Dinov2Config config() {
        return config;
    }

    /** {@code last_hidden_state}: every layer, then {@code layernorm}; [batch, 1 + patches, hidden]. */
    public Tensor lastHiddenState(Tensor pixelValues) {
        return layernorm.forward(encoder.hiddenStates(embeddings.forward(pixelValues), -1));
    }

    /** {@code pooler_output}: the class token of {@link #lastHiddenState}; [batch, hidden]. */
    @Override
    public Tensor imageEmbeddings(Tensor pixelValues) {
        return lastHiddenState(pixelValues).select(1, 0);
    }

    @Override
    public int embeddingSize() {
        return config.hiddenSize;
    }

    @Override
    public Module module() {
        return this;
    }
}
