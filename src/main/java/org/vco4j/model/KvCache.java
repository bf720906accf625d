package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Keys and values of earlier positions, one pair per decoder layer, each [B, kvHeads, length, headDim].
 *
 * <p>Owns native memory: stored tensors are retained so they outlive the pointer scope of the step that
 * made them; {@link #close()} releases them. The tensors keep their autograd history, which is what lets a
 * shared prefix receive gradients from every response that reads it.
 */
public final class KvCache implements AutoCloseable {
    private final Tensor[] keys;
    private final Tensor[] values;

    public KvCache(int layers) {
        keys = new Tensor[layers];
        values = new Tensor[layers];
    }

    /** Number of cached positions. */
    public long length() {
        return keys[0] == null ? 0 : keys[0].size(2);
    }

    /** Batch size of the cached tensors (0 when empty). */
    public long batchSize() {
        return keys[0] == null ? 0 : keys[0].size(0);
    }

    /** Appends new keys and values for one layer and returns the full ones. */
    public Tensor[] append(int layer, Tensor key, Tensor value) {
        Tensor fullKey = keys[layer] == null ? key : torch.cat(new TensorVector(keys[layer], key), 2);
        Tensor fullValue = values[layer] == null ? value : torch.cat(new TensorVector(values[layer], value), 2);
        store(layer, fullKey, fullValue);
        return new Tensor[] {fullKey, fullValue};
    }

    /**
     * A new cache whose entries view this one's repeated {@code copies} times along the batch (a batch-1
     * prefix shared by several responses). No values are copied until a response appends.
     */
    public KvCache expandBatch(long copies) {
        KvCache out = new KvCache(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) continue;
            if (keys[i].size(0) != 1) throw new IllegalStateException("only a batch-1 cache can be expanded");
            long[] shape = keys[i].sizes().vec().get();
            shape[0] = copies;
            out.store(i, keys[i].expand(shape), values[i].expand(shape));
        }
        return out;
    }

    /** A cache restricted to the given batch rows (e.g. to drop finished sequences). */
    public KvCache select(Tensor rows) {
        KvCache out = new KvCache(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) out.store(i, keys[i].index_select(0, rows), values[i].index_select(0, rows));
        }
        return out;
    }

    private void store(int layer, Tensor key, Tensor value) {
        key.retainReference();
        value.retainReference();
        if (keys[layer] != null) keys[layer].releaseReference();
        if (values[layer] != null) values[layer].releaseReference();
        keys[layer] = key;
        values[layer] = value;
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) keys[i].releaseReference();
            if (values[i] != null) values[i].releaseReference();
            keys[i] = null;
            values[i] = null;
        }
    }
}
