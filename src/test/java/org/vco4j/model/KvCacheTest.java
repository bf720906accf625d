package org.vco4j.model;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.vco4j.tensor.Tensors;

import static org.junit.jupiter.api.Assertions.*;

/** The rope deltas a cache keeps per row follow its rows through every batch operation. */
class KvCacheTest {

    private static KvCache cache(long rows, long length, long... deltas) {
        KvCache cache = new KvCache(1);
        Tensor kv = torch.zeros(rows, 1, length, 2);
        cache.append(0, kv, kv);
        if (deltas.length > 0) cache.setRopeDeltas(Tensors.longs(deltas));
        return cache;
    }

    @Test
    void ropeDeltasFollowTheRows() {
        try (PointerScope scope = new PointerScope();
             KvCache three = cache(3, 4, -5, 0, 7);
             KvCache one = cache(1, 2, -3);
             KvCache plain = cache(2, 4)) {
            assertNull(plain.ropeDeltas());
            try (KvCache selected = three.select(Tensors.longs(2, 0))) {
                assertArrayEquals(new long[] {7, -5}, Tensors.toLongArray(selected.ropeDeltas()));
            }
            try (KvCache expanded = one.expandBatch(3)) {
                assertArrayEquals(new long[] {-3, -3, -3}, Tensors.toLongArray(expanded.ropeDeltas()));
            }
            try (KvCache padded = one.padFront(2); KvCache merged = KvCache.concatBatch(three, padded);
                 KvCache withPlain = KvCache.concatBatch(plain, three); KvCache trimmed = merged.dropFront(1)) {
                assertArrayEquals(new long[] {-5, 0, 7, -3}, Tensors.toLongArray(merged.ropeDeltas()));
                assertArrayEquals(new long[] {0, 0, -5, 0, 7}, Tensors.toLongArray(withPlain.ropeDeltas()), "none means zero");
                assertArrayEquals(new long[] {-5, 0, 7, -3}, Tensors.toLongArray(trimmed.ropeDeltas()));
                assertEquals(3, trimmed.length());
            }
            try (KvCache plainRows = KvCache.concatBatch(plain, plain)) {
                assertNull(plainRows.ropeDeltas(), "a cache without deltas stays without");
            }
        }
    }
}
