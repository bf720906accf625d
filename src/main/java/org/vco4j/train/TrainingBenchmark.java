package org.vco4j.train;

import org.vco4j.common.ProcessMemory;
import org.vco4j.common.Profiler;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.nn.ParameterFactory;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.tensor.NativeThreads;
import org.vco4j.common.Folders;
import org.vco4j.data.BatchPosition;
import org.vco4j.data.Sample;
import org.vco4j.train.distributed.DistributedContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput of the three reference/prefix schemes, measured in one process on the same model, data
 * and steps: the papers' reference code (reference recomputed in every step, every request its own sequence),
 * a cached reference, and a cached reference with shared prefixes.
 */
public final class TrainingBenchmark {
    /**
     * One scheme's measurement.
     *
     * @param flopsPerSample executed operations per sample ({@link Flops}: forward, backward and any reference pass)
     * @param roofline       the device's matrix-product FLOP/s measured before the schemes ran
     * @param profile        seconds per measured step by stage (exclusive), empty unless profiling
     * @param peakBytes      the process's largest resident memory while the scheme ran (model loading included;
     *                       -1 where unknown), from a fresh peak per scheme where the system allows one
     */
    public record Result(String scheme, double samplesPerSecond, double secondsPerStep, double cacheFillSeconds,
                         double flopsPerSample, double roofline, Map<String, Double> profile, long peakBytes) {
        public double flopsPerSecond() {
            return flopsPerSample * samplesPerSecond;
        }
    }

    /** Size of the square products that measure the roofline. */
    static final int ROOFLINE_SIZE = 2048;

    private TrainingBenchmark() {}

    public static List<Result> run(TrainConfig base, int steps, int warmupSteps) throws IOException {
        return run(base, steps, warmupSteps, false);
    }

    /** @param profile whether to record where each measured step's time goes ({@link Profiler}) */
    public static List<Result> run(TrainConfig base, int steps, int warmupSteps, boolean profile) throws IOException {
        ParameterFactory parameters = base.parameterFactory();
        // The roofline of the dtype the matrix products run in: bfloat16 under bf16-mixed.
        ParameterFactory compute = base.autocastDtype() == null ? parameters
                : new ParameterFactory(parameters.device(), base.autocastDtype());
        double roofline = Flops.measureRoofline(compute, ROOFLINE_SIZE);
        List<Result> results = new ArrayList<>();
        try {
            results.add(measure(base, "live reference, no prefix sharing", true, false, steps, warmupSteps, roofline, profile));
            results.add(measure(base, "cached reference, no prefix sharing", false, false, steps, warmupSteps, roofline, profile));
            results.add(measure(base, "cached reference + prefix sharing", false, true, steps, warmupSteps, roofline, profile));
        } finally {
            Profiler.enable(false);
        }
        return results;
    }

    static Result measure(TrainConfig base, String scheme, boolean live, boolean sharing, int steps, int warmup,
                                  double roofline, boolean profile) throws IOException {
        TrainConfig config = copy(base);
        config.liveReference = live;
        config.prefixSharing = sharing;
        config.maxSteps = steps + warmup;
        config.outputDir = Files.createTempDirectory("vco-bench-");
        // The peak starts from what this process holds now: native memory the previous scheme (or point) freed goes back
        // to the system first, or its pages would count in this one's peak (jemalloc as ./vco sets it keeps them all).
        System.gc();
        ProcessMemory.releaseFreedPages();
        ProcessMemory.resetPeak();
        try (TrainingRun run = new TrainingRun(config, DistributedContext.single())) {
            double fill = 0;
            if (!live && run.objective().usesReference()) {
                long start = System.nanoTime();
                run.referenceLogps().fill(run.referenceRequests(), n -> {});
                fill = (System.nanoTime() - start) / 1e9;
            }
            BatchPosition position = BatchPosition.START;
            long samples = 0;
            long started = 0;
            long flops = 0;
            run.policy().training(true);
            for (int step = 0; step < steps + warmup; step++) {
                if (step == warmup) {
                    started = System.nanoTime();
                    flops = Flops.count();
                    Profiler.enable(profile);
                }
                List<Sample> batch = run.batches().batch(position);
                boolean[] swaps = run.objective().drawSwaps(batch.size(), Trainer.positionRandom(config.seed, position));
                try (PointerScope scope = new PointerScope()) {
                    ObjectiveStep.Result result = Profiler.time("forward: requests, objective, the rest", () -> run.step().run(batch, swaps));
                    Profiler.time("backward", () -> result.output().loss().mul(new Scalar(1.0)).backward());
                }
                Profiler.time("optimizer", () -> {
                    run.optimizer().step(config.learningRate);
                    run.optimizer().zeroGrad();
                });
                if (step >= warmup) samples += batch.size();
                position = run.batches().next(position);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<String, Double> perStep = new LinkedHashMap<>();
            Profiler.seconds().forEach((stage, total) -> perStep.put(stage, total / steps));
            Profiler.enable(false);
            return new Result(scheme, samples / seconds, seconds / steps, fill, (double) (Flops.count() - flops) / samples, roofline,
                    perStep, ProcessMemory.peakResidentBytes());
        } finally {
            Folders.deleteRecursively(config.outputDir);
        }
    }

    /**
     * The results as a table with each scheme's speed relative to the first, the operations it executes per sample,
     * the FLOP/s it reaches and their share of the measured roofline.
     */
    public static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-38s %10s %9s %9s %16s %13s %9s %9s %10s%n", "scheme", "samples/s", "s/step",
                "vs first", "cache fill (s)", "GFLOP/sample", "GFLOP/s", "roofline", "peak RSS"));
        double baseline = results.get(0).samplesPerSecond();
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "%-38s %10.3f %9.3f %8.2fx %16s %13.3f %9.2f %8.1f%% %10s%n", r.scheme(),
                    r.samplesPerSecond(), r.secondsPerStep(), r.samplesPerSecond() / baseline,
                    r.cacheFillSeconds() > 0 ? String.format(Locale.ROOT, "%.1f", r.cacheFillSeconds()) : "-",
                    r.flopsPerSample() / 1e9, r.flopsPerSecond() / 1e9, 100 * r.flopsPerSecond() / r.roofline(),
                    r.peakBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.2f GB", r.peakBytes() / 1e9)));
        }
        out.append(String.format(Locale.ROOT, "roofline: %.1f GFLOP/s (%d×%d matrix products, measured at start); "
                + "FLOPs are executed matrix products, forward and backward (docs/performance.md)%n",
                results.get(0).roofline() / 1e9, ROOFLINE_SIZE, ROOFLINE_SIZE));
        out.append(String.format(Locale.ROOT, "threads: libtorch %d; matrix products on %s; native memory from %s%n",
                torch.get_num_threads(), NativeThreads.describe(), ProcessMemory.allocator()));
        for (Result r : results) {
            if (r.profile().isEmpty()) continue;
            out.append(String.format(Locale.ROOT, "%nwhere a step's %.3f s go (%s):%n", r.secondsPerStep(), r.scheme()));
            r.profile().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format(Locale.ROOT, "  %-42s %9.3f s %6.1f%%%n", e.getKey(), e.getValue(),
                            100 * e.getValue() / r.secondsPerStep())));
        }
        return out.toString();
    }

    static TrainConfig copy(TrainConfig base) throws IOException {
        Path file = Files.createTempFile("vco-bench-", ".yaml");
        try {
            base.write(file);
            return TrainConfig.read(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
