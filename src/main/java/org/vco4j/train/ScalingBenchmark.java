package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.processing.Context;
import org.vco4j.model.processing.ImageInputs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How a training step's time and memory grow along one axis at a time: image tokens (one checkpoint per value),
 * response length (each response repeated K times), batch size, and requests per sample (the objective: SFT
 * scores one, DPO two, S-VCO six). Every point trains the same data with a cached reference and shared prefixes
 * ({@link TrainingBenchmark}'s fastest scheme) in this process; the first value of every axis is the shared base
 * point, measured once.
 */
public final class ScalingBenchmark {
    /** One measured point: which axis it varies, its value's label, and the measurement. */
    public record Point(String axis, String value, TrainingBenchmark.Result result) {}

    /** The axes' values; the first of each is the base point. */
    public record Grid(List<Path> models, List<Integer> responseRepeats, List<Integer> batchSizes, List<String> objectives) {
        public Grid {
            models = List.copyOf(models);
            responseRepeats = List.copyOf(responseRepeats);
            batchSizes = List.copyOf(batchSizes);
            objectives = List.copyOf(objectives);
            if (models.isEmpty() || responseRepeats.isEmpty() || batchSizes.isEmpty() || objectives.isEmpty()) {
                throw new IllegalArgumentException("every axis needs at least one value");
            }
            for (int k : responseRepeats) if (k < 1) throw new IllegalArgumentException("--response-repeat must be ≥ 1, got " + k);
            for (int b : batchSizes) if (b < 1) throw new IllegalArgumentException("--batch-size must be ≥ 1, got " + b);
        }
    }

    private ScalingBenchmark() {}

    /** @param base the settings of every point but the axes' (its model, objective, batch size and data are the grid's) */
    public static List<Point> run(TrainConfig base, Grid grid, int steps, int warmupSteps, Runnable afterEachPoint) throws IOException {
        List<Point> points = new ArrayList<>();
        double roofline = Flops.measureRoofline(base.parameterFactory(), TrainingBenchmark.ROOFLINE_SIZE);
        Measure measure = (model, data, batch, objective) -> measure(base, model, data, batch, objective, steps, warmupSteps, roofline);
        TrainingBenchmark.Result first = measure.at(grid.models().get(0), base.data, grid.batchSizes().get(0), grid.objectives().get(0));
        afterEachPoint.run();
        for (int i = 0; i < grid.models().size(); i++) {
            Path model = grid.models().get(i);
            points.add(new Point("image tokens", imageTokensLabel(model, base.data), i == 0 ? first
                    : measure.at(model, base.data, grid.batchSizes().get(0), grid.objectives().get(0))));
            if (i > 0) afterEachPoint.run();
        }
        for (int i = 0; i < grid.responseRepeats().size(); i++) {
            int repeat = grid.responseRepeats().get(i);
            TrainingBenchmark.Result result = first;
            if (i > 0) {
                Path data = repeatedResponses(base.data, repeat);
                try {
                    result = measure.at(grid.models().get(0), data, grid.batchSizes().get(0), grid.objectives().get(0));
                } finally {
                    Files.deleteIfExists(data);
                }
                afterEachPoint.run();
            }
            points.add(new Point("response length", "×" + repeat, result));
        }
        for (int i = 0; i < grid.batchSizes().size(); i++) {
            int batch = grid.batchSizes().get(i);
            points.add(new Point("batch size", String.valueOf(batch), i == 0 ? first
                    : measure.at(grid.models().get(0), base.data, batch, grid.objectives().get(0))));
            if (i > 0) afterEachPoint.run();
        }
        for (int i = 0; i < grid.objectives().size(); i++) {
            String objective = grid.objectives().get(i);
            points.add(new Point("requests (objective)", objective, i == 0 ? first
                    : measure.at(grid.models().get(0), base.data, grid.batchSizes().get(0), objective)));
            if (i > 0) afterEachPoint.run();
        }
        return points;
    }

    private interface Measure {
        TrainingBenchmark.Result at(Path model, Path data, int batchSize, String objective) throws IOException;
    }

    private static TrainingBenchmark.Result measure(TrainConfig base, Path model, Path data, int batchSize, String objective,
                                                    int steps, int warmupSteps, double roofline) throws IOException {
        TrainConfig config = TrainingBenchmark.copy(base);
        config.model = model;
        config.data = data;
        config.batchSize = batchSize;
        config.objective = objective;
        return TrainingBenchmark.measure(config, "cached reference + prefix sharing", false, true, steps, warmupSteps, roofline, false);
    }

    /**
     * A copy of the data beside it (images are named relative to the file's folder) whose every response, chosen and
     * rejected, is its text repeated {@code repeat} times; token masks keep pointing into the first copy.
     */
    static Path repeatedResponses(Path data, int repeat) throws IOException {
        List<Sample> longer = new ArrayList<>();
        for (Sample s : SampleReader.read(data)) {
            longer.add(new Sample(s.id(), s.images(), s.prompt(), repeated(s.responses(), repeat), repeated(s.rejected(), repeat),
                    s.masks(), s.contrast(), s.source(), s.augmentation()));
        }
        Path folder = data.toAbsolutePath().getParent();
        Path file = Files.createTempFile(folder, ".vco-scale-x" + repeat + "-", ".jsonl");
        SampleWriter.write(file, longer);
        return file;
    }

    private static List<String> repeated(List<String> texts, int repeat) {
        List<String> out = new ArrayList<>();
        for (String text : texts) out.add(String.join(" ", Collections.nCopies(repeat, text)));
        return out;
    }

    /**
     * The image tokens the checkpoint's processor gives the data's first image, and the checkpoint folder's name: a
     * fixed count for LLaVA-1.5 ({@code image_seq_length}), the tiles' and newlines' count for an anyres processor.
     */
    static String imageTokensLabel(Path model, Path data) throws IOException {
        String name = model.toAbsolutePath().normalize().getFileName().toString();
        Sample sample = SampleReader.read(data).get(0);
        try (PretrainedVlm.ProcessorOnly inputs = PretrainedVlm.processorOnly(model);
             PointerScope scope = new PointerScope()) {
            ImageInputs images = inputs.processor().prepare(new Context(List.of(sample.images().get(0)), sample.prompt())
                    .withDefaultPlaceholders()).images();
            return images.slots() + " (" + name + ")";
        }
    }

    /** One row per point with its time, memory and work relative to the first point of its axis. */
    public static String table(List<Point> points) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %-24s %9s %9s %10s %13s %9s %9s %10s %9s%n", "axis", "value", "s/step",
                "vs first", "samples/s", "GFLOP/sample", "GFLOP/s", "roofline", "peak RSS", "vs first"));
        String axis = null;
        TrainingBenchmark.Result axisFirst = null;
        for (Point p : points) {
            if (!p.axis().equals(axis)) {
                axis = p.axis();
                axisFirst = p.result();
            }
            TrainingBenchmark.Result r = p.result();
            out.append(String.format(Locale.ROOT, "%-22s %-24s %9.3f %8.2fx %10.3f %13.3f %9.2f %8.1f%% %10s %9s%n", p.axis(), p.value(),
                    r.secondsPerStep(), r.secondsPerStep() / axisFirst.secondsPerStep(), r.samplesPerSecond(), r.flopsPerSample() / 1e9,
                    r.flopsPerSecond() / 1e9, 100 * r.flopsPerSecond() / r.roofline(),
                    r.peakBytes() < 0 ? "-" : String.format(Locale.ROOT, "%.2f GB", r.peakBytes() / 1e9),
                    r.peakBytes() < 0 || axisFirst.peakBytes() <= 0 ? "-"
                            : String.format(Locale.ROOT, "%.2fx", (double) r.peakBytes() / axisFirst.peakBytes())));
        }
        out.append("every point: cached reference + shared prefixes; one axis varies at a time from the first value of each "
                + "(docs/performance.md)\n");
        return out.toString();
    }
}
