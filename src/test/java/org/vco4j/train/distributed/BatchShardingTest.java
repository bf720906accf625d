package org.vco4j.train.distributed;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BatchShardingTest {
    @Test
    void contiguousShardsInRankOrderMakeTheBatch() {
        List<String> batch = List.of("a", "b", "c", "d", "e", "f");
        assertEquals(List.of("a", "b"), BatchSharding.shard(batch, 0, 3));
        assertEquals(List.of("c", "d"), BatchSharding.shard(batch, 1, 3));
        assertEquals(List.of("e", "f"), BatchSharding.shard(batch, 2, 3));
        for (int world : new int[] {1, 2, 3, 6}) {
            List<String> joined = new ArrayList<>();
            for (int r = 0; r < world; r++) joined.addAll(BatchSharding.shard(batch, r, world));
            assertEquals(batch, joined, "world " + world);
        }
        assertEquals(4, BatchSharding.shardStart(6, 2, 3));
        assertEquals(batch, BatchSharding.shard(batch, DistributedContext.single()));
    }

    @Test
    void anIndivisibleBatchIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchSharding.shardSize(10, 4));
        assertTrue(e.getMessage().contains("a global batch of 10 cannot be split evenly over 4 ranks")
                && e.getMessage().contains("e.g. 8 or 12"), e.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> BatchSharding.shardSize(3, 4));
        assertTrue(small.getMessage().contains("e.g. 4)"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchSharding.shard(List.of(1, 2), 2, 2));
        assertThrows(IllegalArgumentException.class, () -> BatchSharding.shardSize(0, 1));
    }
}
