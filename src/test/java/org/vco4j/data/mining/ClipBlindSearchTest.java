package org.vco4j.data.mining;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The blockwise search against a brute-force N × N computation, for many block sizes and top-k values. */
class ClipBlindSearchTest {
    private static final int N = 61;

    /** 4-D rows give many pairs on both sides of the thresholds; a small top-k forces full searches of rows. */
    @Test
    void blockwiseEqualsBruteForce() {
        EmbeddingTable clip = table(EmbeddingFiles.gaussian(N, 4, 1), 4);
        EmbeddingTable dinov2 = table(EmbeddingFiles.gaussian(N, 3, 2), 3);
        ClipBlindSearch.Settings reference = new ClipBlindSearch.Settings(0.8, 0.0, N, N);
        List<ClipBlindPair> expected = bruteForce(clip, dinov2, reference);
        assertTrue(expected.size() > 50, "enough pairs to compare: " + expected.size());
        int[][] shapes = {{1, 1}, {3, 2}, {7, 5}, {16, 64}, {N, 1}, {N + 5, 200}};
        boolean someRowsInFull = false;
        for (int[] shape : shapes) {
            ClipBlindSearch.Settings settings = new ClipBlindSearch.Settings(0.8, 0.0, shape[0], shape[1]);
            List<ClipBlindPair> found = new ArrayList<>();
            int fullRows = 0;
            try (PointerScope scope = new PointerScope()) {
                ClipBlindSearch search = new ClipBlindSearch(clip.matrix(), dinov2.matrix(), settings);
                for (int b = 0; b < search.blocks(); b++) {
                    ClipBlindSearch.Block block = search.search(b);
                    found.addAll(block.pairs());
                    fullRows += block.fullRows();
                }
            }
            someRowsInFull |= fullRows > 0;
            String label = "block " + shape[0] + ", top-k " + shape[1];
            assertEquals(expected.size(), found.size(), label);
            for (int p = 0; p < expected.size(); p++) {
                ClipBlindPair want = expected.get(p);
                ClipBlindPair got = found.get(p);
                assertEquals(List.of(want.first(), want.second()), List.of(got.first(), got.second()), label + ", pair " + p);
                assertEquals(want.clipCosine(), got.clipCosine(), 1e-5, label);
                assertEquals(want.dinov2Cosine(), got.dinov2Cosine(), 1e-5, label);
            }
        }
        assertTrue(someRowsInFull, "a top-k of 1 leaves rows with more pairs to the full search");
    }

    @Test
    void settingsAreChecked() {
        IllegalArgumentException cosine = assertThrows(IllegalArgumentException.class, () -> new ClipBlindSearch.Settings(1.5, 0.6, 8, 8));
        assertTrue(cosine.getMessage().contains("--clip-min"), cosine.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ClipBlindSearch.Settings(0.95, 0.6, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> new ClipBlindSearch.Settings(0.95, 0.6, 8, 0));
    }

    /** Every pair i < j in row order, cosines in double precision. */
    static List<ClipBlindPair> bruteForce(EmbeddingTable clip, EmbeddingTable dinov2, ClipBlindSearch.Settings settings) {
        List<ClipBlindPair> pairs = new ArrayList<>();
        for (int i = 0; i < clip.size(); i++) {
            for (int j = i + 1; j < clip.size(); j++) {
                double c = clip.cosine(i, j);
                double d = dinov2.cosine(i, j);
                if (c > settings.clipMin() && d < settings.dinov2Max()) pairs.add(new ClipBlindPair(i, j, (float) c, (float) d));
            }
        }
        return pairs;
    }

    static EmbeddingTable table(float[][] rows, int width) {
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * width, width);
        return EmbeddingTable.unitRows(Path.of("test"), EmbeddingFiles.ids(rows.length), width, flat);
    }
}
