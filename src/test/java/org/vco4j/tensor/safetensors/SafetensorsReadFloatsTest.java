package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** {@link SafetensorsFile#readFloats}: the same values as {@link SafetensorsFile#load}, in any mapping chunk size. */
class SafetensorsReadFloatsTest {
    @TempDir
    Path dir;

    @Test
    void readsTheValuesLoadReadsAcrossChunkBoundaries() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        float[] values = new float[37 * 11];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextGaussian();
        values[5] = -0f;
        values[6] = Float.NaN;
        Path file = dir.resolve("t.safetensors");
        try (PointerScope scope = new PointerScope()) {
            Map<String, org.bytedeco.pytorch.Tensor> tensors = new LinkedHashMap<>();
            tensors.put("before", Tensors.floats(1f, 2f, 3f));
            tensors.put("m", Tensors.floats(values, 37, 11));
            tensors.put("half", Tensors.floats(1f, 2f).to(ScalarType.Half));
            SafetensorsWriter.write(file, tensors);
        }
        for (int chunk : new int[] {SafetensorsFile.DEFAULT_MAP_CHUNK_BYTES, 64, 30, 1}) {
            try (PointerScope scope = new PointerScope(); SafetensorsFile safetensors = SafetensorsFile.open(file, chunk)) {
                float[] loaded = Tensors.toFloatArray(safetensors.load("m"));
                float[] read = safetensors.readFloats("m");
                assertEquals(loaded.length, read.length);
                for (int i = 0; i < read.length; i++) {
                    assertEquals(Float.floatToRawIntBits(loaded[i]), Float.floatToRawIntBits(read[i]), "value " + i + ", chunk " + chunk);
                }
                assertArrayEquals(new float[] {1f, 2f, 3f}, safetensors.readFloats("before"));
                SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> safetensors.readFloats("half"));
                assertTrue(e.getMessage().contains("F16") && e.getMessage().contains("F32"), e.getMessage());
            }
        }
    }
}
