package org.vco4j.model.clip;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ClipImageEmbedsTest {
    private static ClipVisionConfig tiny() {
        return ClipVisionConfig.of(8, 16, 2, 2, 8, 4, 6);
    }

    @Test
    void theLlavaTowerHasNoProjectionAndTheEncoderHasOne() {
        try (PointerScope scope = new PointerScope();
             ClipVisionModel tower = new ClipVisionModel(ParameterFactory.cpuFloat32(), tiny());
             ClipVisionModel encoder = new ClipVisionModel(ParameterFactory.cpuFloat32(), tiny(), 6)) {
            assertFalse(tower.namedParameters().keySet().stream().anyMatch(k -> !k.startsWith("vision_model.")));
            assertArrayEquals(new long[] {6, 8}, Tensors.shape(encoder.namedParameters().get("visual_projection.weight")));
            assertEquals(tower.namedParameters().size() + 1, encoder.namedParameters().size(), "only visual_projection.weight is added");
            assertEquals(8, tower.embeddingSize());
            assertEquals(6, encoder.embeddingSize());
        }
    }

    /** image_embeds = visual_projection(post_layernorm(last_hidden_state[:, 0])), with explicit norm statistics. */
    @Test
    void imageEmbedsProjectThePostNormalisedClassToken() {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard();
             ClipVisionModel model = new ClipVisionModel(ParameterFactory.cpuFloat32(), tiny(), 6)) {
            torch.manual_seed(2);
            for (Tensor p : model.namedParameters().values()) p.copy_(torch.randn(p.sizes().vec().get()).mul(new Scalar(0.5)));
            Tensor pixels = torch.randn(3, 3, 8, 8);
            Map<String, Tensor> w = model.namedParameters();
            Tensor cls = model.hiddenStates(pixels, -1).select(1, 0);
            Tensor mean = cls.mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
            Tensor centred = cls.sub(mean);
            Tensor variance = centred.mul(centred).mean(new long[] {-1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
            Tensor normed = centred.div(variance.add(new Scalar(1e-5)).sqrt())
                    .mul(w.get("vision_model.post_layernorm.weight")).add(w.get("vision_model.post_layernorm.bias"));
            Tensor expected = torch.matmul(normed, w.get("visual_projection.weight").t());
            assertArrayEquals(Tensors.toFloatArray(expected.contiguous()), Tensors.toFloatArray(model.imageEmbeddings(pixels).contiguous()), 1e-5f);
        }
    }
}
