package org.vco4j.model.clip;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipVisionEmbeddingsTest {
    @Test
    void patchEmbeddingEqualsTheStridedConvolution() {
        ClipVisionConfig config = new ClipVisionConfig();
        config.imageSize = 28;
        config.patchSize = 7;
        config.hiddenSize = 12;
        try (PointerScope scope = new PointerScope();
             ClipVisionEmbeddings embeddings = new ClipVisionEmbeddings(ParameterFactory.cpuFloat32(), config)) {
            RandomInit.apply(embeddings, 3, 0.5);
            Tensor pixels = torch.randn(2, 3, 28, 28);
            Tensor ours = embeddings.forward(pixels);
            Tensor weight = embeddings.namedParameters().get("patch_embedding.weight");
            Tensor conv = torch.conv2d(pixels, weight, new TensorOptional(), new long[] {7, 7}, new long[] {0, 0},
                    new long[] {1, 1}, 1).flatten(2, -1).transpose(1, 2);
            Tensor cls = embeddings.namedParameters().get("class_embedding").view(1, 1, -1).expand(2, 1, 12);
            Tensor expected = torch.cat(new org.bytedeco.pytorch.TensorVector(cls, conv), 1)
                    .add(embeddings.namedParameters().get("position_embedding.weight").unsqueeze(0));
            assertTrue(torch.allclose(ours, expected, 1e-5, 1e-5, false));
        }
    }
}
