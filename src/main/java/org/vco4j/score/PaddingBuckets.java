package org.vco4j.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits rows of different lengths into right-padded batches so that padding costs little: a batch costs its rows
 * times its longest row, plus {@link #CALL_COST} token positions for the call itself (per-operation overhead, smaller
 * matrix products). Rows sorted by length are cut where that total is least (dynamic programming over the cut
 * points). S-VCO's text-only requests (~50 tokens) no longer run padded to the image requests' ~650.
 */
public final class PaddingBuckets {
    /** What one more batch costs, in padded token positions. */
    static final int CALL_COST = 256;

    private PaddingBuckets() {}

    /** The row indices of each batch: longest batch first, each batch's rows in their original order. */
    public static List<int[]> split(int[] lengths) {
        int n = lengths.length;
        Integer[] sorted = IntStream.range(0, n).boxed().sorted(Comparator.comparingInt((Integer i) -> -lengths[i]).thenComparingInt(i -> i))
                .toArray(Integer[]::new);
        // best[j]: least cost of the first j sorted rows; cut[j]: where their last batch starts.
        long[] best = new long[n + 1];
        int[] cut = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            best[j] = Long.MAX_VALUE;
            for (int i = 0; i < j; i++) {
                long cost = best[i] + (long) (j - i) * lengths[sorted[i]] + CALL_COST;
                if (cost < best[j]) {
                    best[j] = cost;
                    cut[j] = i;
                }
            }
        }
        List<int[]> batches = new ArrayList<>();
        for (int j = n; j > 0; j = cut[j]) {
            int[] rows = new int[j - cut[j]];
            for (int k = cut[j]; k < j; k++) rows[k - cut[j]] = sorted[k];
            Arrays.sort(rows);
            batches.add(0, rows);
        }
        return batches;
    }
}
