package org.vco4j.model.vit;

import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.nn.Module;
import org.vco4j.model.nn.ModuleList;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;

/**
 * The {@code encoder} of a CLIP, SigLIP or DINOv2 tower: {@code layers.N} ({@code layer.N} in DINOv2's layout), run
 * up to a requested hidden state.
 */
public final class VitEncoder extends Module {
    private final ModuleList<VitEncoderLayer> layers = new ModuleList<>();
    private final int total;

    public VitEncoder(ParameterFactory factory, VitEncoderSpec spec) {
        child(spec.layout().layers(), layers);
        total = spec.numHiddenLayers();
        for (int i = 0; i < total; i++) layers.add(new VitEncoderLayer(factory, spec));
    }

    /**
     * Hugging Face's {@code hidden_states[layer]} of an encoder fed {@code embeddings}: index 0 is the input,
     * negative indices count from the end (−1 the last layer's output, −2 its input). Layers past the requested
     * one are not run.
     */
    public Tensor hiddenStates(Tensor embeddings, int layer) {
        int index = layer < 0 ? total + 1 + layer : layer;
        if (index < 0 || index > total) {
            throw new IllegalArgumentException("vision_feature_layer " + layer + " is outside the "
                    + (total + 1) + " hidden states of a " + total + "-layer vision tower");
        }
        Tensor hidden = embeddings;
        for (int i = 0; i < index; i++) {
            VitEncoderLayer encoderLayer = layers.get(i);
            Tensor input = hidden;
            hidden = Tensors.freeingIntermediates(() -> encoderLayer.forward(input));
        }
        return hidden;
    }
}
