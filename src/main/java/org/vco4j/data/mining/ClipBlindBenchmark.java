package org.vco4j.data.mining;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.ParameterFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * {@code vco bench clip-blind}: the throughput of {@link ClipBlindSearch} against the engine's matrix-product
 * roofline ({@link Flops#measureRoofline}, measured first), and how its time grows with the number of images
 * (N, 2N, 4N, ...: the work is N²·d/1, so each doubling should cost four times as much).
 *
 * <p>The images are random unit vectors drawn from a seed; one in {@value #TWIN_EVERY} has a CLIP twin, the image
 * before it plus 20 % noise (cosine about 0.98), with an independent DINOv2 row (cosine about 0): with JoMPO's
 * thresholds every such pair, and no other, is CLIP-blind, so the count found checks the search as it is timed.
 * (CLIP-blind pairs are rare in real collections too; the search's extra work grows with the rows that have one.)
 */
public final class ClipBlindBenchmark {
    /**
     * One measured size.
     *
     * @param images  N
     * @param pairs   pairs found (N / {@value #TWIN_EVERY} expected with JoMPO's thresholds)
     * @param seconds wall time of the search over all blocks
     * @param flops   operations of its matrix products, counted per block
     */
    public record Run(int images, long pairs, double seconds, long flops) {
        public double flopsPerSecond() {
            return flops / seconds;
        }
    }

    /** The roofline, the settings and the runs. */
    public record Report(double rooflineFlops, int rooflineSize, int clipDimension, int dinov2Dimension,
                         ClipBlindSearch.Settings settings, List<Run> runs) {
        /** A table for the terminal. */
        public String table() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "roofline: %.1f GFLOP/s (fp32 matrix product %d x %d, best of 5); CLIP dim %d, DINOv2 dim %d, block %d rows, top-k %d%n",
                    rooflineFlops / 1e9, rooflineSize, rooflineSize, clipDimension, dinov2Dimension, settings.blockSize(), settings.topK()));
            text.append(String.format(Locale.ROOT, "%8s %8s %9s %9s %9s %11s %12s%n",
                    "N", "pairs", "seconds", "GFLOP", "GFLOP/s", "% roofline", "time ratio"));
            for (int i = 0; i < runs.size(); i++) {
                Run run = runs.get(i);
                String ratio = i == 0 ? "-" : String.format(Locale.ROOT, "%.2fx (N² %.0fx)", run.seconds() / runs.get(i - 1).seconds(),
                        Math.pow((double) run.images() / runs.get(i - 1).images(), 2));
                text.append(String.format(Locale.ROOT, "%8d %8d %9.2f %9.1f %9.1f %10.0f%% %12s%n", run.images(), run.pairs(),
                        run.seconds(), run.flops() / 1e9, run.flopsPerSecond() / 1e9, 100 * run.flopsPerSecond() / rooflineFlops, ratio));
            }
            return text.toString();
        }
    }

    /** One image in this many is the CLIP twin of the one before it. */
    public static final int TWIN_EVERY = 16;

    private ClipBlindBenchmark() {}

    /**
     * Measures the roofline, then searches {@code n}, {@code 2n}, ... ({@code sizes} sizes) random images.
     *
     * @param rooflineSize the side of the square products that measure the roofline
     */
    public static Report run(int n, int sizes, int clipDimension, int dinov2Dimension, ClipBlindSearch.Settings settings,
                             int rooflineSize, long seed) {
        if (n < 2) throw new IllegalArgumentException("--n must be at least 2, got " + n);
        if (sizes < 1) throw new IllegalArgumentException("--sizes must be at least 1, got " + sizes);
        if (clipDimension < 1 || dinov2Dimension < 1) throw new IllegalArgumentException("--clip-dim and --dino-dim must be at least 1");
        double roofline = Flops.measureRoofline(ParameterFactory.cpuFloat32(), rooflineSize);
        List<Run> runs = new ArrayList<>();
        for (int s = 0; s < sizes; s++) {
            int images = n << s;
            System.err.printf(Locale.ROOT, "bench clip-blind: N = %d%n", images);
            runs.add(measure(images, clipDimension, dinov2Dimension, settings, seed));
        }
        return new Report(roofline, rooflineSize, clipDimension, dinov2Dimension, settings, runs);
    }

    private static Run measure(int images, int clipDimension, int dinov2Dimension, ClipBlindSearch.Settings settings, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EmbeddingTable clip = randomTable(images, clipDimension, random, true);
        EmbeddingTable dinov2 = randomTable(images, dinov2Dimension, random, false);
        try (PointerScope scope = new PointerScope()) {
            ClipBlindSearch search = new ClipBlindSearch(clip.matrix(), dinov2.matrix(), settings);
            long pairs = 0;
            long flops = 0;
            long start = System.nanoTime();
            for (int b = 0; b < search.blocks(); b++) {
                ClipBlindSearch.Block block = search.search(b);
                pairs += block.pairs().size();
                flops += block.flops();
            }
            return new Run(images, pairs, (System.nanoTime() - start) / 1e9, flops);
        }
    }

    /** Gaussian rows, scaled to unit length; with {@code twins}, row {@code i} with {@code i % TWIN_EVERY == 1} is row {@code i - 1} plus 20 % noise. */
    private static EmbeddingTable randomTable(int images, int dimension, SplittableRandom random, boolean twins) {
        float[] rows = new float[images * dimension];
        for (int i = 0; i < rows.length; i++) rows[i] = (float) random.nextGaussian();
        if (twins) {
            for (int i = 1; i < images; i += TWIN_EVERY) {
                for (int k = 0; k < dimension; k++) {
                    rows[i * dimension + k] = rows[(i - 1) * dimension + k] + 0.2f * rows[i * dimension + k];
                }
            }
        }
        List<String> ids = IntStream.range(0, images).mapToObj(i -> "random-" + i).toList();
        return EmbeddingTable.unitRows(Path.of("random"), ids, dimension, rows);
    }
}
