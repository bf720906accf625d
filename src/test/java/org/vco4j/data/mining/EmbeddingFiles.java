package org.vco4j.data.mining;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.Json;
import org.vco4j.model.encoder.EmbeddingJob;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Embeddings files in the layout of {@code vco embed}, written by tests with rows of their choice. */
final class EmbeddingFiles {
    private EmbeddingFiles() {}

    /** Writes {@code rows} (one per id, all of one width) under {@code ids}. */
    static Path write(Path file, List<String> ids, float[][] rows) throws IOException {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * width, width);
        try (PointerScope scope = new PointerScope()) {
            SafetensorsWriter.write(file, Map.of(EmbeddingJob.EMBEDDINGS, Tensors.floats(flat, rows.length, width)),
                    Map.of(EmbeddingJob.IDS, Json.MAPPER.writeValueAsString(ids)));
        }
        return file;
    }

    /** A unit vector at {@code cosine} to (1, 0): (c, sqrt(1 - c²)). */
    static float[] atCosine(double cosine) {
        return new float[] {(float) cosine, (float) Math.sqrt(1 - cosine * cosine)};
    }

    /** {@code n} Gaussian rows of {@code width} drawn from {@code seed}. */
    static float[][] gaussian(int n, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] rows = new float[n][width];
        for (float[] row : rows) for (int k = 0; k < width; k++) row[k] = (float) random.nextGaussian();
        return rows;
    }

    /** ids {@code img-00.png, img-01.png, ...}, sorted as {@code vco embed} writes them. */
    static List<String> ids(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> String.format("img-%02d.png", i)).toList();
    }
}
