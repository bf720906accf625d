package org.vco4j.data.mining;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.tensor.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The exact search for CLIP-blind pairs, one block of rows at a time on the engine: the block's CLIP rows times
 * the CLIP rows from the block's first row on ({@code [block, N - from]}: each pair {@code i < j} is scored once, in
 * the block of {@code i}), the {@code topK} best columns per row as candidates above the CLIP threshold, then the
 * DINOv2 cosines of the candidates alone. A row whose {@code topK} best all pass the threshold may have more: it is
 * searched in full, so the result never depends on {@code topK} or on the block size; memory is bounded by
 * {@code block × N} scores, never {@code N × N}.
 *
 * <p>Reads the caller's tensors (the unit CLIP and DINOv2 rows), which the caller's scope owns; each block's
 * temporaries are freed when it ends.
 */
public final class ClipBlindSearch {
    /**
     * @param clipMin   keep pairs whose CLIP cosine is above this (JoMPO: 0.95)
     * @param dinov2Max and whose DINOv2 cosine is below this (JoMPO: 0.6)
     * @param blockSize rows per matrix product
     * @param topK      candidates per row taken from the product before a row is searched in full
     */
    public record Settings(double clipMin, double dinov2Max, int blockSize, int topK) {
        public Settings {
            checkCosine(clipMin, "--clip-min");
            checkCosine(dinov2Max, "--dino-max");
            if (blockSize < 1) throw new IllegalArgumentException("--block-size must be at least 1, got " + blockSize);
            if (topK < 1) throw new IllegalArgumentException("--top-k must be at least 1, got " + topK);
        }
    }

    /**
     * What one block found.
     *
     * @param pairs     in order of first row, then second row
     * @param flops     floating-point operations of its matrix products (2·rows·columns·dim for the CLIP block,
     *                  2·candidates·dim for the DINOv2 cosines)
     * @param fullRows  rows searched in full because their {@code topK} best all passed the CLIP threshold
     */
    public record Block(List<ClipBlindPair> pairs, long flops, int fullRows) {}

    private final Tensor clip;
    private final Tensor dinov2;
    private final int size;
    private final Settings settings;

    /**
     * @param clip   unit CLIP rows [N, d]
     * @param dinov2 unit DINOv2 rows [N, d'] of the same images
     */
    public ClipBlindSearch(Tensor clip, Tensor dinov2, Settings settings) {
        if (clip.size(0) != dinov2.size(0)) throw new IllegalArgumentException("CLIP and DINOv2 rows differ: " + clip.size(0) + " vs " + dinov2.size(0));
        this.clip = clip.contiguous();
        this.dinov2 = dinov2.contiguous();
        this.size = (int) clip.size(0);
        this.settings = settings;
    }

    /** The number of images. */
    public int size() {
        return size;
    }

    /** The number of blocks of {@link Settings#blockSize} rows. */
    public int blocks() {
        return (size + settings.blockSize() - 1) / settings.blockSize();
    }

    /** The first row of block {@code b}. */
    public int firstRow(int b) {
        return Math.min(size, b * settings.blockSize());
    }

    /** Searches block {@code b}: every pair whose first image is one of its rows. */
    public Block search(int b) {
        int from = firstRow(b);
        int rows = firstRow(b + 1) - from;
        int columns = size - from;
        try (PointerScope blockScope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor scores = clip.narrow(0, from, rows).mm(clip.narrow(0, from, columns).t());
            // Column c is image from + c: hide j <= i, the diagonal and the pairs an earlier row already scored.
            Tensor pastOrSelf = torch.ones(new long[] {rows, rows}, new TensorOptions(ScalarType.Bool)).tril();
            scores.narrow(1, 0, rows).masked_fill_(pastOrSelf, new Scalar(Double.NEGATIVE_INFINITY));
            long flops = 2L * rows * columns * clip.size(1);

            List<long[]> candidates = new ArrayList<>();
            int fullRows = candidates(scores, rows, columns, candidates);
            if (candidates.isEmpty()) return new Block(List.of(), flops, fullRows);
            long[] flat = new long[candidates.size()];
            long[] first = new long[candidates.size()];
            long[] second = new long[candidates.size()];
            for (int p = 0; p < flat.length; p++) {
                long[] rowColumn = candidates.get(p);
                flat[p] = rowColumn[0] * columns + rowColumn[1];
                first[p] = from + rowColumn[0];
                second[p] = from + rowColumn[1];
            }
            float[] clipCosines = Tensors.toFloatArray(scores.reshape(-1).index_select(0, Tensors.longs(flat)));
            Tensor firstRows = dinov2.index_select(0, Tensors.longs(first));
            float[] dinov2Cosines = Tensors.toFloatArray(firstRows.mul(dinov2.index_select(0, Tensors.longs(second))).sum(1));
            flops += 2L * flat.length * dinov2.size(1);
            List<ClipBlindPair> pairs = new ArrayList<>();
            for (int p = 0; p < flat.length; p++) {
                if (dinov2Cosines[p] < settings.dinov2Max()) {
                    pairs.add(new ClipBlindPair((int) first[p], (int) second[p], clipCosines[p], dinov2Cosines[p]));
                }
            }
            return new Block(pairs, flops, fullRows);
        }
    }

    /**
     * Adds {@code [row, column]} of every score above the CLIP threshold to {@code out}, row by row, columns
     * ascending; returns how many rows needed a full search. One pass finds each row's best score; only rows whose
     * best passes (few, in real data) go on to the top-k.
     */
    private int candidates(Tensor scores, int rows, int columns, List<long[]> out) {
        float[] best = Tensors.toFloatArray(scores.amax(new long[] {1}, false));
        long[] passing = IntStream.range(0, rows).filter(r -> best[r] > settings.clipMin()).asLongStream().toArray();
        if (passing.length == 0) return 0;
        Tensor candidateScores = scores.index_select(0, Tensors.longs(passing));
        int k = Math.min(settings.topK(), columns);
        T_TensorTensor_T top = candidateScores.topk(k, 1, true, false);
        float[] values = Tensors.toFloatArray(top.get0());
        long[] indices = Tensors.toLongArray(top.get1());
        int fullRows = 0;
        for (int p = 0; p < passing.length; p++) {
            List<Long> above = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                if (values[p * k + c] > settings.clipMin()) above.add(indices[p * k + c]);
            }
            if (above.size() == k && k < columns) {
                fullRows++;
                above.clear();
                for (long column : Tensors.toLongArray(candidateScores.select(0, p).gt(new Scalar(settings.clipMin())).nonzero())) {
                    above.add(column);
                }
            }
            above.sort(null);
            for (long column : above) out.add(new long[] {passing[p], column});
        }
        return fullRows;
    }

    private static void checkCosine(double value, String option) {
        if (!(value >= -1 && value <= 1)) throw new IllegalArgumentException(option + " must be a cosine in [-1, 1], got " + value);
    }
}
