package org.vco4j.tensor.safetensors;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where and how one tensor is stored: its file, dtype, shape and the byte span {@code [begin, end)}
 * of its data, relative to the start of the data buffer (the header's {@code data_offsets}).
 */
public record TensorInfo(Path file, String name, SafetensorsDType dtype, long[] shape, long begin, long end) {
    public TensorInfo {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** The shape; a fresh copy, as arrays are mutable. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape, 1 for a scalar (shape {@code []}). */
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /** Length of the data in bytes. */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && file.equals(t.file) && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ") of " + file;
    }
}
