package org.vco4j.demo;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.mining.EmbeddingTable;
import org.vco4j.data.mining.MvcFilter;
import org.vco4j.data.world.ContrastType;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.encoder.EmbeddingJob;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * S-VCO's MVC filter with the base model's own vision tower in place of SigLIP and DINOv2: each image's pooled
 * features (the mean over its image tokens of the tower's projected features, the rows the language model reads) are
 * written as a {@code vco embed} embeddings file, and {@link MvcFilter} keeps a minimal pair when the tower finds it
 * alike (cosine above the lower quartile of the pairs' cosines, SigLIP's role: a hard pair, not a wholesale change)
 * and yet different (cosine below the upper quartile, DINOv2's role: a contrast the tower can see). One encoder plays
 * both roles, so the thresholds are quantiles of its own cosines rather than MVC's 0.7 and 0.5 of two encoders.
 * Position flips pass unfiltered, as in MVC.
 */
final class TowerFilter {
    /** The filtered file, the thresholds and the filter's counts. */
    record Result(Path filtered, double lowerCosine, double upperCosine, MvcFilter.Result counts) {}

    private TowerFilter() {}

    /**
     * Embeds every image of {@code contrast} with the tower of {@code model} into {@code embeddings} (ids relative to
     * {@code root}) and writes the kept tuples to {@code out} (with MvcFilter's summary beside it).
     */
    static Result run(Path model, Path contrast, Path root, Path embeddings, Path out) throws IOException {
        Path absoluteRoot = root.toAbsolutePath().normalize();
        List<Sample> samples = SampleReader.read(contrast);
        Set<Path> images = new LinkedHashSet<>();
        for (Sample sample : samples) images.addAll(sample.images());
        List<String> ids = new ArrayList<>();
        float[] rows;
        int dimension;
        try (PretrainedVlm vlm = PretrainedVlm.load(model, ParameterFactory.cpuFloat32()); NoGradGuard noGrad = new NoGradGuard()) {
            List<float[]> pooled = new ArrayList<>();
            for (Path image : images) {
                try (PointerScope scope = new PointerScope()) {
                    Tensor features = vlm.model().encodeImages(vlm.processor().images().preprocess(List.of(ImageLoader.load(image))));
                    pooled.add(Tensors.toFloatArray(features.mean(0).to(ScalarType.Float).contiguous()));
                }
                ids.add(id(absoluteRoot, image));
            }
            dimension = pooled.get(0).length;
            rows = new float[pooled.size() * dimension];
            for (int i = 0; i < pooled.size(); i++) System.arraycopy(pooled.get(i), 0, rows, i * dimension, dimension);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(EmbeddingJob.IDS, Json.MAPPER.writeValueAsString(ids));
        metadata.put("model_type", "llava-vision-tower-pooled");
        try (PointerScope scope = new PointerScope()) {
            SafetensorsWriter.write(embeddings, Map.of(EmbeddingJob.EMBEDDINGS, Tensors.floats(rows, ids.size(), dimension)), metadata);
        }
        EmbeddingTable table = EmbeddingTable.read(embeddings);
        Map<String, Integer> rowOf = table.rowsById();
        List<Double> cosines = new ArrayList<>();
        for (Sample sample : samples) {
            if (ContrastType.POSITION.label().equals(sample.contrast())) continue;
            cosines.add(table.cosine(rowOf.get(id(absoluteRoot, sample.images().get(0))), rowOf.get(id(absoluteRoot, sample.images().get(1)))));
        }
        if (cosines.isEmpty()) throw new IllegalArgumentException(contrast + ": no tuple other than position flips to filter");
        cosines.sort(Double::compare);
        double lower = quantile(cosines, 0.25);
        double upper = quantile(cosines, 0.75);
        MvcFilter.Result counts = MvcFilter.run(contrast, embeddings, embeddings, absoluteRoot, out,
                new MvcFilter.Settings(lower, upper, Set.of(ContrastType.POSITION.label())));
        System.err.printf(Locale.ROOT, "  tower filter: 1 - cosine in (%.3g, %.3g): %d of %d tuples kept (position flips unfiltered)%n",
                1 - upper, 1 - lower, counts.total().kept(), counts.total().samples());
        return new Result(out, lower, upper, counts);
    }

    private static String id(Path root, Path image) {
        return root.relativize(image.toAbsolutePath().normalize()).toString().replace(image.getFileSystem().getSeparator(), "/");
    }

    /** The value at {@code p} of sorted {@code values} (nearest rank below). */
    static double quantile(List<Double> sorted, double p) {
        return sorted.get((int) Math.floor(p * (sorted.size() - 1)));
    }
}
