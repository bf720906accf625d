package org.vco4j.spark;

import org.vco4j.model.encoder.PretrainedImageEncoder;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The image encoders of one executor JVM: each model folder is loaded once, by the first task that needs it, and
 * kept for the executor's life, so later partitions reuse it. The task slots of an executor share one encoder; their
 * forward passes take turns (each already runs on libtorch's intra-op threads).
 */
final class ExecutorEncoders {
    private static final Map<String, PretrainedImageEncoder> LOADED = new HashMap<>();

    private ExecutorEncoders() {}

    /** The encoder of {@code folder}, loaded on first use (CPU, float32, as {@code vco embed} by default). */
    static PretrainedImageEncoder get(String folder) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(folder, f -> PretrainedImageEncoder.load(Path.of(f), ParameterFactory.cpuFloat32()));
        }
    }

    /** {@link PretrainedImageEncoder#embed} of one batch, one forward pass at a time per encoder. */
    static float[][] embed(PretrainedImageEncoder encoder, List<RgbImage> batch) {
        synchronized (encoder) {
            return encoder.embed(batch);
        }
    }
}
