package org.vco4j.data.mining;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.encoder.EmbeddingJob;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** {@link EmbeddingTable#read}: rows streamed into one array give the unit rows libtorch's own load gives. */
class EmbeddingTableTest {
    @TempDir
    Path dir;

    @Test
    void readsTheUnitRowsOfTheFileInIdOrder() throws IOException {
        int n = 23;
        int width = 17;
        float[][] rows = EmbeddingFiles.gaussian(n, width, 9);
        List<String> ids = EmbeddingFiles.ids(n);
        Path file = EmbeddingFiles.write(dir.resolve("e.safetensors"), ids, rows);

        float[] expected;
        try (PointerScope scope = new PointerScope(); SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            expected = Tensors.toFloatArray(safetensors.load(EmbeddingJob.EMBEDDINGS));
        }
        for (int i = 0; i < n; i++) {
            double squares = 0;
            for (int k = 0; k < width; k++) squares += (double) expected[i * width + k] * expected[i * width + k];
            for (int k = 0; k < width; k++) expected[i * width + k] = (float) (expected[i * width + k] / Math.sqrt(squares));
        }

        EmbeddingTable table = EmbeddingTable.read(file);
        assertEquals(ids, table.ids());
        assertEquals(width, table.dimension());
        assertArrayEquals(expected, table.rows(), 0f);
        assertEquals(1.0, table.cosine(4, 4), 1e-6);
        EmbeddingJob.Embeddings raw = EmbeddingJob.read(file);
        assertArrayEquals(rows[7], raw.row(ids.get(7)), 0f);
        assertNull(raw.row("missing.png"));
    }

    @Test
    void repeatedIdsOrAMismatchedShapeAreOneLine() throws IOException {
        Path twice = EmbeddingFiles.write(dir.resolve("twice.safetensors"), List.of("a.png", "a.png"), new float[][] {{1, 0}, {0, 1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmbeddingTable.read(twice));
        assertTrue(e.getMessage().startsWith(twice + ": tensor \"embeddings\" has shape [2, 2] but metadata \"ids\" names 1 distinct images among 2 ids"),
                e.getMessage());

        Path short_ = EmbeddingFiles.write(dir.resolve("short.safetensors"), List.of("a.png", "b.png", "c.png"), new float[][] {{1, 0}, {0, 1}});
        e = assertThrows(IllegalArgumentException.class, () -> EmbeddingTable.read(short_));
        assertTrue(e.getMessage().startsWith(short_ + ": tensor \"embeddings\" has shape [2, 2] but metadata \"ids\" names 3 distinct images"), e.getMessage());

        Path vector = dir.resolve("vector.safetensors");
        try (PointerScope scope = new PointerScope()) {
            SafetensorsWriter.write(vector, Map.of(EmbeddingJob.EMBEDDINGS, Tensors.floats(1f, 2f)),
                    Map.of(EmbeddingJob.IDS, Json.MAPPER.writeValueAsString(List.of("a.png"))));
        }
        e = assertThrows(IllegalArgumentException.class, () -> EmbeddingTable.read(vector));
        assertEquals(vector + ": tensor \"embeddings\" has shape [2]; expected [ids, dim]", e.getMessage());
    }
}
