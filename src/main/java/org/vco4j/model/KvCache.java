package org.vco4j.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Keys and values of earlier positions, one pair per decoder layer, each [B, kvHeads, length, headDim].
 *
 * <p>A family with multimodal rotary positions (Qwen2-VL's M-RoPE) also keeps one <em>rope delta</em> per row here: how
 * far the row's positions have run ahead of its count of real tokens (an image's tokens share positions), so that
 * a token decoded after the cache takes that count plus the delta. The row operations carry the deltas along; a
 * cache without them ({@link #ropeDeltas()} null) is one whose positions are the count of real tokens.
 *
 * <p>Owns native memory: stored tensors are retained so they outlive the pointer scope of the step that
 * made them; {@link #close()} releases them. The tensors keep their autograd history, which is what lets a
 * shared prefix receive gradients from every response that reads it.
 */
public final class KvCache implements AutoCloseable {
    private final Tensor[] keys;
    private final Tensor[] values;
    private Tensor ropeDeltas; // [B] long, null when positions are the count of real tokens

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

    /** Each row's rope delta, [B] long; null when the cache keeps none. */
    public Tensor ropeDeltas() {
        return ropeDeltas;
    }

    /** Sets each row's rope delta ([B] long), as the pass that filled the cache computed them. */
    public void setRopeDeltas(Tensor deltas) {
        deltas.retainReference();
        if (ropeDeltas != null) ropeDeltas.releaseReference();
        ropeDeltas = deltas;
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
        if (ropeDeltas != null) out.setRopeDeltas(ropeDeltas.expand(new long[] {copies}));
        return out;
    }

    /** A cache restricted to the given batch rows (e.g. to drop finished sequences). */
    public KvCache select(Tensor rows) {
        KvCache out = new KvCache(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) out.store(i, keys[i].index_select(0, rows), values[i].index_select(0, rows));
        }
        if (ropeDeltas != null) out.setRopeDeltas(ropeDeltas.index_select(0, rows.to(ropeDeltas.device(), torch.ScalarType.Long)));
        return out;
    }

    /**
     * A new cache with {@code columns} zero positions in front of every row: how a shorter sequence lines up with
     * longer ones in a batch (the caller's key-valid mask hides the padding). With 0 columns the entries are shared.
     */
    public KvCache padFront(long columns) {
        KvCache out = new KvCache(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) continue;
            if (columns == 0) {
                out.store(i, keys[i], values[i]);
                continue;
            }
            long[] shape = keys[i].sizes().vec().get();
            shape[2] = columns;
            Tensor zeros = torch.zeros(shape, keys[i].options());
            out.store(i, torch.cat(new TensorVector(zeros, keys[i]), 2), torch.cat(new TensorVector(zeros, values[i]), 2));
        }
        if (ropeDeltas != null) out.setRopeDeltas(ropeDeltas);
        return out;
    }

    /** A new cache without the first {@code columns} positions of every row (padding no row needs any more). */
    public KvCache dropFront(long columns) {
        KvCache out = new KvCache(keys.length);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) continue;
            long kept = keys[i].size(2) - columns;
            out.store(i, keys[i].narrow(2, columns, kept).contiguous(), values[i].narrow(2, columns, kept).contiguous());
        }
        if (ropeDeltas != null) out.setRopeDeltas(ropeDeltas);
        return out;
    }

    /** The rows of caches of equal length and depth, stacked along the batch in order. */
    public static KvCache concatBatch(KvCache first, KvCache second) {
        if (first.length() != second.length() || first.keys.length != second.keys.length) {
            throw new IllegalArgumentException("caches of " + first.length() + " and " + second.length()
                    + " positions cannot be stacked");
        }
        KvCache out = new KvCache(first.keys.length);
        for (int i = 0; i < first.keys.length; i++) {
            if (first.keys[i] == null) continue;
            out.store(i, torch.cat(new TensorVector(first.keys[i], second.keys[i]), 0),
                    torch.cat(new TensorVector(first.values[i], second.values[i]), 0));
        }
        if (first.ropeDeltas != null || second.ropeDeltas != null) {
            out.setRopeDeltas(torch.cat(new TensorVector(first.deltasOrZeros(), second.deltasOrZeros()), 0));
        }
        return out;
    }

    /** The rows' rope deltas, zeros when the cache keeps none. */
    private Tensor deltasOrZeros() {
        if (ropeDeltas != null) return ropeDeltas;
        return torch.zeros(new long[] {batchSize()}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long)
                .device(new org.bytedeco.pytorch.DeviceOptional(keys[0].device())));
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
        if (ropeDeltas != null) ropeDeltas.releaseReference();
        ropeDeltas = null;
    }
}
