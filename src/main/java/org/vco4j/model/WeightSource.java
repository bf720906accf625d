package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;

import java.util.Set;

/** Named tensors to load a model from: a checkpoint folder, or tensors held in memory. */
public interface WeightSource extends AutoCloseable {

    /** Every tensor name, as written in the checkpoint. */
    Set<String> names();

    /** Shape of a tensor, read without loading its data. */
    long[] shape(String name);

    /** A tensor that owns its memory, in its stored dtype. */
    Tensor load(String name);

    /** The file or folder, for error messages. */
    String describe();

    @Override
    void close();
}
