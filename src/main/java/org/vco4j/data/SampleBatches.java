package org.vco4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training order: each epoch visits every sample once, in an order shuffled from (seed, epoch), cut into
 * batches of {@code batchSize} with a smaller last batch when the size does not divide the sample count.
 * Batches are addressed by {@link BatchPosition}, so a resumed run that starts from a saved position sees
 * exactly the batches the interrupted run would have seen. Not thread-safe (it keeps the current epoch's
 * order).
 */
public final class SampleBatches {
    private final List<Sample> samples;
    private final int batchSize;
    private final long seed;
    private int orderEpoch = -1;
    private int[] order;

    public SampleBatches(List<Sample> samples, int batchSize, long seed) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples to batch");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        this.samples = List.copyOf(samples);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        return (samples.size() + batchSize - 1) / batchSize;
    }

    /** The samples of the batch at {@code position}. */
    public List<Sample> batch(BatchPosition position) {
        if (position.index() >= batchesPerEpoch()) {
            throw new IllegalArgumentException("batch " + position.index() + " does not exist; an epoch has "
                    + batchesPerEpoch() + " batches");
        }
        int[] epochOrder = order(position.epoch());
        int from = position.index() * batchSize;
        int to = Math.min(from + batchSize, samples.size());
        List<Sample> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) batch.add(samples.get(epochOrder[i]));
        return batch;
    }

    /** The position after {@code position}: the next batch, or the first of the next epoch. */
    public BatchPosition next(BatchPosition position) {
        return position.index() + 1 < batchesPerEpoch()
                ? new BatchPosition(position.epoch(), position.index() + 1)
                : new BatchPosition(position.epoch() + 1, 0);
    }

    /** The number of batches before {@code position}, counting from {@link BatchPosition#START}. */
    public long step(BatchPosition position) {
        return (long) position.epoch() * batchesPerEpoch() + position.index();
    }

    /** The position reached after {@code step} batches. */
    public BatchPosition position(long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        return new BatchPosition(Math.toIntExact(step / batchesPerEpoch()), (int) (step % batchesPerEpoch()));
    }

    /** The sample indices of epoch {@code epoch}, in visiting order: a Fisher–Yates shuffle seeded by (seed, epoch). */
    int[] order(int epoch) {
        if (epoch != orderEpoch) {
            int[] indices = new int[samples.size()];
            for (int i = 0; i < indices.length; i++) indices[i] = i;
            SplittableRandom random = new SplittableRandom(SeededHash.of(seed, "epoch " + epoch));
            for (int i = indices.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = indices[i];
                indices[i] = indices[j];
                indices[j] = swap;
            }
            order = indices;
            orderEpoch = epoch;
        }
        return order;
    }
}
