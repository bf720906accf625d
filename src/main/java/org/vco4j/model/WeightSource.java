package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Set;

/** Named tensors to load a model from: a checkpoint folder, or tensors held in memory. */
public interface WeightSource extends AutoCloseable {

    /** Every tensor name, as written in the checkpoint. */
    Set<String> names();

    /** Shape of a tensor, read without loading its data. */
    long[] shape(String name);

    /** Stored dtype of a tensor, read without loading its data. */
    ScalarType dtype(String name);

    /** The file holding a tensor (its shard when sharded), for error messages. */
    default String describe(String name) {
        return describe();
    }

    /** A tensor that owns its memory, in its stored dtype. */
    Tensor load(String name);

    /** The file or folder, for error messages. */
    String describe();

    @Override
    void close();
}
