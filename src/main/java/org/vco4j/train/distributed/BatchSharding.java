package org.vco4j.train.distributed;

import java.util.List;

/**
 * Which part of a global batch each rank processes: contiguous, equal shards in rank order. Rank {@code r} of
 * {@code W} takes elements {@code [r·B/W, (r+1)·B/W)} of a global batch of {@code B}; concatenating the shards
 * of ranks 0..W-1 gives the global batch back.
 *
 * <p>The global batch size must be divisible by the world size. That is what makes data parallelism exact:
 * every rank backpropagates the mean loss of its shard, the gradients are averaged over the ranks, and the
 * mean of equal-sized means is the mean over the whole batch. With unequal shards it is not (and padding by
 * repeating samples, as torch's DistributedSampler does, would change the objective), so an indivisible size
 * is an error rather than a silent approximation. The last, short batch of an epoch is the caller's to drop
 * or trim to a multiple of the world size.
 */
public final class BatchSharding {
    private BatchSharding() {}

    /** Elements per rank; fails when {@code globalBatchSize} is not a multiple of {@code worldSize}. */
    public static int shardSize(int globalBatchSize, int worldSize) {
        if (worldSize < 1) throw new IllegalArgumentException("world size " + worldSize + ": must be at least 1");
        if (globalBatchSize < 1) throw new IllegalArgumentException("global batch size " + globalBatchSize + ": must be at least 1");
        if (globalBatchSize % worldSize != 0) {
            int lower = globalBatchSize / worldSize * worldSize;
            throw new IllegalArgumentException("a global batch of " + globalBatchSize + " cannot be split evenly over " + worldSize
                    + " ranks: use a global batch size divisible by the world size (e.g. " + (lower > 0 ? lower + " or " : "")
                    + (lower + worldSize) + "), so that the averaged gradients equal those of the whole batch");
        }
        return globalBatchSize / worldSize;
    }

    /** Index in the global batch of the first element of {@code rank}'s shard. */
    public static int shardStart(int globalBatchSize, int rank, int worldSize) {
        int size = shardSize(globalBatchSize, worldSize);
        if (rank < 0 || rank >= worldSize) throw new IllegalArgumentException("rank " + rank + " is outside 0.." + (worldSize - 1));
        return rank * size;
    }

    /** {@code rank}'s shard of {@code globalBatch}: a view, in the batch's order. */
    public static <T> List<T> shard(List<T> globalBatch, int rank, int worldSize) {
        int start = shardStart(globalBatch.size(), rank, worldSize);
        return globalBatch.subList(start, start + globalBatch.size() / worldSize);
    }

    /** This process's shard of {@code globalBatch}. */
    public static <T> List<T> shard(List<T> globalBatch, DistributedContext context) {
        return shard(globalBatch, context.rank(), context.worldSize());
    }
}
