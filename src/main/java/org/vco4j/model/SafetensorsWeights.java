package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The weights of a Hugging Face checkpoint folder (single file or sharded with an index). */
public final class SafetensorsWeights implements WeightSource {
    private final SafetensorsCheckpoint checkpoint;

    private SafetensorsWeights(SafetensorsCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Opens and validates every weight file of the folder. */
    public static SafetensorsWeights open(Path folder) {
        try {
            return new SafetensorsWeights(SafetensorsCheckpoint.open(folder));
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
    }

    @Override public Set<String> names() { return new LinkedHashSet<>(checkpoint.names()); }
    @Override public long[] shape(String name) { return checkpoint.info(name).shape(); }
    @Override public ScalarType dtype(String name) { return checkpoint.info(name).dtype().scalarType(); }
    @Override public String describe() { return checkpoint.folder().toString(); }
    @Override public String describe(String name) { return checkpoint.info(name).file().toString(); }

    @Override
    public Tensor load(String name) {
        try {
            return checkpoint.load(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            checkpoint.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
