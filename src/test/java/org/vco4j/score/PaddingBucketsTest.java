package org.vco4j.score;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PaddingBucketsTest {
    @Test
    void rowsOfSimilarLengthStayInOneBatch() {
        List<int[]> batches = PaddingBuckets.split(new int[] {640, 652, 610, 655});
        assertEquals(1, batches.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
    }

    @Test
    void svcoTextOnlyRequestsAreNotPaddedToTheImageRequests() {
        // S-VCO's six requests of two samples: y|m, y|m', y|none, y'|m', y'|m, y'|none
        int[] lengths = {650, 650, 52, 651, 651, 53, 648, 648, 50, 649, 649, 51};
        List<int[]> batches = PaddingBuckets.split(lengths);
        assertEquals(2, batches.size());
        assertArrayEquals(new int[] {0, 1, 3, 4, 6, 7, 9, 10}, batches.get(0), "longest batch first, rows in order");
        assertArrayEquals(new int[] {2, 5, 8, 11}, batches.get(1));
    }

    @Test
    void aSplitMustSaveMoreThanTheCallCosts() {
        // 2 rows padded by 100 positions each save 200 < one more call: kept together
        assertEquals(1, PaddingBuckets.split(new int[] {300, 200, 200}).size());
        // 4 rows padded by 100 positions save 400 > one more call: split
        assertEquals(2, PaddingBuckets.split(new int[] {300, 200, 200, 200, 200}).size());
    }

    @Test
    void everyRowIsInExactlyOneBatch() {
        int[] lengths = {5, 900, 17, 900, 430, 12, 431, 5, 899, 60};
        int[] seen = new int[lengths.length];
        for (int[] batch : PaddingBuckets.split(lengths)) for (int row : batch) seen[row]++;
        assertTrue(Arrays.stream(seen).allMatch(count -> count == 1), Arrays.toString(seen));
    }
}
