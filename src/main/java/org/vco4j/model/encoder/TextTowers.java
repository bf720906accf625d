package org.vco4j.model.encoder;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.WeightLoader;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoder;
import org.vco4j.model.vit.VitEncoderSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors of a CLIP or SigLIP text tower ({@code text_model.*}) by key and shape: what a full {@code CLIPModel}
 * or {@code SiglipModel} folder holds next to the vision tower, and what the image encoder skips.
 */
public final class TextTowers {
    private TextTowers() {}

    /**
     * {@code text_model.embeddings}, {@code text_model.encoder.layers.N} (the same pre-norm layer as the vision
     * tower's) and {@code text_model.final_layer_norm}.
     */
    public static Map<String, long[]> shapes(VitEncoderSpec spec, int vocabSize, int maxPositionEmbeddings) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long d = spec.hiddenSize();
        shapes.put("text_model.embeddings.token_embedding.weight", new long[] {vocabSize, d});
        shapes.put("text_model.embeddings.position_embedding.weight", new long[] {maxPositionEmbeddings, d});
        try (PointerScope scope = new PointerScope();
             VitEncoder encoder = new VitEncoder(ParameterFactory.meta(ScalarType.Float), spec)) {
            WeightLoader.shapes(encoder).forEach((name, shape) -> shapes.put("text_model.encoder." + name, shape));
        }
        shapes.put("text_model.final_layer_norm.weight", new long[] {d});
        shapes.put("text_model.final_layer_norm.bias", new long[] {d});
        return shapes;
    }
}
