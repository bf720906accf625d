package org.vco4j.data;

/**
 * Where a run stands in its data: the batch at {@code index} of epoch {@code epoch} (both from 0) is the
 * next one to train on. A checkpoint stores it, and {@link SampleBatches} continues from it exactly.
 */
public record BatchPosition(int epoch, int index) {
    /** The first batch of the first epoch. */
    public static final BatchPosition START = new BatchPosition(0, 0);

    public BatchPosition {
        if (epoch < 0 || index < 0) {
            throw new IllegalArgumentException("batch position needs epoch >= 0 and index >= 0, got (" + epoch + ", " + index + ")");
        }
    }
}
