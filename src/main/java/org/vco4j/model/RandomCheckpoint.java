package org.vco4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.AtomicFolder;
import org.vco4j.common.ProgressBar;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.tensor.safetensors.DeferredTensor;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random weights of any config's shape, written one tensor at a time (peak memory: the largest tensor), so
 * pipelines and memory can be tried at real sizes without real weights. Values follow {@link RandomInit}'s rules
 * (normal(0, 0.02) matrices, zero biases, unit norm weights) but are drawn by libtorch, seeded per parameter name:
 * fast enough for billions of values, deterministic per seed on one libtorch build.
 */
public final class RandomCheckpoint {
    /** Standard deviation of the random matrices (transformers' {@code initializer_range}). */
    public static final double STD = 0.02;

    private RandomCheckpoint() {}

    /**
     * Writes a random checkpoint of the config in {@code configFile} (any real config.json of a known family) to
     * {@code target}, atomically; the config is validated (shapes included) before anything is written.
     *
     * @return the family that wrote it
     */
    public static ModelFamily write(Path configFile, Path target, boolean replace, ScalarType dtype, long seed) throws IOException {
        JsonNode config = PretrainedVlm.readConfigFile(configFile);
        ModelFamily family = PretrainedVlm.family(config, configFile);
        try {
            family.parameterShapes(config);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(configFile + ": " + e.getMessage(), e);
        }
        AtomicFolder.write(target, replace, staging -> family.writeRandom(staging, config, dtype, seed));
        return family;
    }

    /** Writes {@code config}'s weights under the family's checkpoint keys (current layout) into {@code folder}. */
    public static void writeWeights(Path folder, ModelFamily family, JsonNode config, ScalarType dtype, long seed)
            throws IOException {
        Map<String, long[]> shapes = family.parameterShapes(config);
        long total = shapes.values().stream().mapToLong(RandomCheckpoint::numel).sum();
        ProgressBar progress = new ProgressBar("random weights", total, "values");
        Map<String, DeferredTensor> tensors = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> tensors.put(family.checkpointKey(name, false), new DeferredTensor(dtype, shape, () -> {
            Tensor values = values(name, shape, dtype, seed);
            progress.advance(numel(shape));
            return values;
        })));
        SafetensorsCheckpointWriter.writeShardedDeferred(folder, tensors, CheckpointWriter.MAX_SHARD_BYTES);
        progress.finish();
    }

    /** The name config.json's {@code torch_dtype} gives a dtype. */
    public static String torchDtype(ScalarType dtype) {
        return switch (dtype) {
            case Float -> "float32";
            case BFloat16 -> "bfloat16";
            case Half -> "float16";
            default -> throw new IllegalArgumentException("no torch_dtype name for " + dtype);
        };
    }

    private static Tensor values(String name, long[] shape, ScalarType dtype, long seed) {
        TensorOptions options = new TensorOptions().dtype(new org.bytedeco.pytorch.ScalarTypeOptional(dtype));
        if (RandomInit.isNormWeight(name)) return torch.ones(shape, options);
        if (name.endsWith(".bias")) return torch.zeros(shape, options);
        torch.manual_seed(seed * 1_000_003L + name.hashCode());
        return torch.randn(shape).mul_(new org.bytedeco.pytorch.Scalar(STD)).to(dtype);
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
