package org.vco4j.model.llama;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;

import static org.junit.jupiter.api.Assertions.*;

/** M-RoPE: with equal positions it is the ordinary rotary embedding; each section turns with its own axis. */
class MultimodalRotaryEmbeddingTest {

    @Test
    void equalPositionsGiveTheOrdinaryRotaryEmbedding() {
        try (PointerScope scope = new PointerScope()) {
            ParameterFactory cpu = ParameterFactory.cpuFloat32();
            long[] steps = {0, 1, 2, 7, 30};
            Tensor positions = Tensors.longs(steps, 1, steps.length);
            Tensor three = positions.unsqueeze(0).expand(3, 1, steps.length).contiguous();
            Tensor[] plain = new LlamaRotaryEmbedding(cpu, 16, 10000).cosSin(positions, ScalarType.Float);
            Tensor[] mrope = new MultimodalRotaryEmbedding(cpu, 16, 10000, new int[] {2, 3, 3}).cosSin(three, ScalarType.Float);
            assertArrayEquals(Tensors.toFloatArray(plain[0]), Tensors.toFloatArray(mrope[0]), 0f);
            assertArrayEquals(Tensors.toFloatArray(plain[1]), Tensors.toFloatArray(mrope[1]), 0f);
        }
    }

    /** Head dim 16 (8 frequencies), sections [2, 3, 3]: slots 0–1 temporal, 2–4 height, 5–7 width, in both halves. */
    @Test
    void eachSectionTurnsWithItsAxis() {
        try (PointerScope scope = new PointerScope()) {
            Tensor positions = Tensors.longs(new long[] {5, 11, 17}, 3, 1, 1); // t = 5, h = 11, w = 17
            Tensor cos = new MultimodalRotaryEmbedding(ParameterFactory.cpuFloat32(), 16, 10000, new int[] {2, 3, 3})
                    .cosSin(positions, ScalarType.Float)[0];
            float[] values = Tensors.toFloatArray(cos);
            long[] axisPosition = {5, 5, 11, 11, 11, 17, 17, 17};
            for (int j = 0; j < 16; j++) {
                double invFreq = 1 / Math.pow(10000, (2.0 * (j % 8)) / 16);
                assertEquals(Math.cos(axisPosition[j % 8] * invFreq), values[j], 1e-5, "dim " + j);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> new MultimodalRotaryEmbedding(ParameterFactory.cpuFloat32(), 16, 10000, new int[] {2, 3, 4}));
        }
    }
}
