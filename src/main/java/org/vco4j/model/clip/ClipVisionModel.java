package org.vco4j.model.clip;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.encoder.ImageEncoder;
import org.vco4j.model.nn.Container;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.LayerNorm;
import org.vco4j.model.nn.Linear;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;
import org.vco4j.model.vit.VitVisionModel;


/**
 * {@code CLIPVisionModel}: the {@code vision_model} with embeddings, {@code pre_layrnorm} (sic, as in the
 * checkpoints), the encoder and {@code post_layernorm}; with a projection, {@code CLIPVisionModelWithProjection}
 * (and the image half of {@code CLIPModel}): {@code visual_projection} maps the pooled output to
 * {@code projection_dim}.
 */
public final class ClipVisionModel extends VitVisionModel<ClipVisionConfig> implements ImageEncoder {
    private final ClipVisionEmbeddings embeddings;
    private final LayerNorm preLayrnorm;
    private final VitEncoder encoder;
    private final LayerNorm postLayernorm;
    private final Linear visualProjection;

    /** The tower alone, as LLaVA holds it. */
    public ClipVisionModel(ParameterFactory factory, ClipVisionConfig config) {
        this(factory, config, null);
    }

    /**
     * The tower and, when {@code projectionDim} is not null, {@code visual_projection} (bias-free, hidden size to
     * {@code projectionDim}) next to {@code vision_model}.
     */
    public ClipVisionModel(ParameterFactory factory, ClipVisionConfig config, Integer projectionDim) {
        super(config);
        Container visionModel = child("vision_model", new Container());
        embeddings = visionModel.add("embeddings", new ClipVisionEmbeddings(factory, config));
        preLayrnorm = visionModel.add("pre_layrnorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        encoder = visionModel.add("encoder", new VitEncoder(factory, config.encoderSpec()));
        // post_layernorm only acts on the pooled output, which LLaVA never reads; it is loaded so that
        // checkpoints round-trip unchanged.
        postLayernorm = visionModel.add("post_layernorm", new LayerNorm(factory, config.hiddenSize, config.layerNormEps));
        visualProjection = projectionDim == null ? null
                : child("visual_projection", new Linear(factory, config.hiddenSize, projectionDim, false));
    }

    /** Index 0 is the embeddings after {@code pre_layrnorm}; −2 is the input of the last layer (LLaVA-1.5's). */
    @Override
    public Tensor hiddenStates(Tensor pixelValues, int layer) {
        return encoder.hiddenStates(preLayrnorm.forward(embeddings.forward(pixelValues)), layer);
    }

    /** {@code pooler_output}: the class token of the last layer, through {@code post_layernorm}; [batch, hidden]. */
    public Tensor pooledOutput(Tensor pixelValues) {
        Tensor last = hiddenStates(pixelValues, -1);
        return postLayernorm.forward(last.select(1, 0));
    }

    /**
     * {@code image_embeds = visual_projection(pooler_output)}, [batch, projection_dim]; the pooled output itself
     * when the model has no projection.
     */
    public Tensor imageEmbeds(Tensor pixelValues) {
        Tensor pooled = pooledOutput(pixelValues);
        return visualProjection == null ? pooled : visualProjection.forward(pooled);
    }

    /** Whether {@code visual_projection} is part of the model. */
    public boolean hasProjection() {
        return visualProjection != null;
    }

    /** {@link #imageEmbeds}: the encoder's pooled embedding. */
    @Override
    public Tensor imageEmbeddings(Tensor pixelValues) {
        return imageEmbeds(pixelValues);
    }

    /** {@code projection_dim} with the projection, else the hidden size. */
    @Override
    public int embeddingSize() {
        return visualProjection == null ? config().hiddenSize : (int) visualProjection.outFeatures;
    }

    @Override
    public Module module() {
        return this;
    }
}
