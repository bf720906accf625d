package org.vco4j.tensor;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Small conversions between Java arrays and libtorch tensors.
 *
 * <p>Every tensor returned here owns its memory (no view of a Java buffer survives the call), so it
 * may be released by the enclosing {@link org.bytedeco.javacpp.PointerScope} like any other.
 *
 * <p>Every read of a tensor's values into Java ({@link #toFloatArray}, {@link #toDoubleArray},
 * {@link #toLongArray}, {@link #item}) goes through here and is counted ({@link #hostReads}): on a GPU each
 * one waits for the device to finish its queued work and copies back to the host, so a training step makes
 * only the few it needs (docs/performance.md, "Host round trips"), which a test counts on the CPU.
 */
public final class Tensors {
    private static final AtomicLong HOST_READS = new AtomicLong();

    private Tensors() {}

    /** How many times values were read into Java since the process started (each a device synchronisation on a GPU). */
    public static long hostReads() {
        return HOST_READS.get();
    }

    /** A float32 CPU tensor holding a copy of {@code values} with the given shape. */
    public static Tensor floats(float[] values, long... shape) {
        checkSize(values.length, shape);
        return copyOf(new FloatPointer(values), shape, ScalarType.Float);
    }

    /** A float32 1-D tensor. */
    public static Tensor floats(float... values) {
        return floats(values, values.length);
    }

    /** A float64 1-D tensor, for values that must keep full precision (finite differences, hand-set log-probs). */
    public static Tensor doubles(double... values) {
        return copyOf(new DoublePointer(values), new long[] {values.length}, ScalarType.Double);
    }

    /** An int64 CPU tensor holding a copy of {@code values} with the given shape. */
    public static Tensor longs(long[] values, long... shape) {
        checkSize(values.length, shape);
        return copyOf(new LongPointer(values), shape, ScalarType.Long);
    }

    /** An int64 1-D tensor. */
    public static Tensor longs(long... values) {
        return longs(values, values.length);
    }

    /**
     * A host tensor made here ({@link #longs}, {@link #floats}) moved to {@code device} as {@code type}: the one way
     * a step's inputs reach the device. On a GPU the copy leaves from page-locked (pinned) memory without waiting, so
     * it overlaps the work already queued (libtorch keeps the pinned block until the copy is done); on the CPU it is
     * the tensor itself, converted if needed.
     */
    public static Tensor upload(Tensor host, Device device, ScalarType type) {
        if (device.is_cpu()) return host.to(device, type);
        return host.pin_memory().to(device, type, true, false, new MemoryFormatOptional());
    }

    /** A tensor that owns a copy of {@code data} (freed here), viewed with {@code shape} and {@code type}. */
    private static Tensor copyOf(Pointer data, long[] shape, ScalarType type) {
        try (data) {
            return torch.from_blob(data, shape, new TensorOptions(type)).clone();
        }
    }

    /** A float32 scalar tensor. */
    public static Tensor scalar(double value) {
        return torch.scalar_tensor(new Scalar(value), new TensorOptions(ScalarType.Float));
    }

    /** The elements of any numeric tensor as float32, in row-major order. */
    public static float[] toFloatArray(Tensor tensor) {
        HOST_READS.incrementAndGet();
        Tensor flat = tensor.detach().cpu().to(ScalarType.Float).contiguous().reshape(-1);
        float[] out = new float[(int) flat.numel()];
        flat.data_ptr_float().capacity(out.length).get(out);
        return out;
    }

    /** The elements of an integer tensor as int64, in row-major order. */
    public static long[] toLongArray(Tensor tensor) {
        HOST_READS.incrementAndGet();
        Tensor flat = tensor.detach().cpu().to(ScalarType.Long).contiguous().reshape(-1);
        long[] out = new long[(int) flat.numel()];
        flat.data_ptr_long().capacity(out.length).get(out);
        return out;
    }

    /** The elements of any numeric tensor as float64, in row-major order. */
    public static double[] toDoubleArray(Tensor tensor) {
        HOST_READS.incrementAndGet();
        Tensor flat = tensor.detach().cpu().to(ScalarType.Double).contiguous().reshape(-1);
        double[] out = new double[(int) flat.numel()];
        flat.data_ptr_double().capacity(out.length).get(out);
        return out;
    }

    /** The value of a one-element tensor. */
    public static double item(Tensor tensor) {
        HOST_READS.incrementAndGet();
        return tensor.detach().cpu().to(ScalarType.Double).item_double();
    }

    /** The shape of a tensor as a Java array. */
    public static long[] shape(Tensor tensor) {
        return tensor.sizes().vec().get();
    }

    /** Concatenates tensors along {@code dim}. */
    public static Tensor cat(List<Tensor> tensors, long dim) {
        try (TensorVector vector = new TensorVector(tensors.toArray(new Tensor[0]))) {
            return torch.cat(vector, dim);
        }
    }

    /** Stacks tensors along a new leading {@code dim}. */
    public static Tensor stack(List<Tensor> tensors, long dim) {
        try (TensorVector vector = new TensorVector(tensors.toArray(new Tensor[0]))) {
            return torch.stack(vector, dim);
        }
    }

    /**
     * Runs {@code body} in a pointer scope of its own: every tensor handle it makes is released when it returns except
     * the result, which joins the enclosing scope. Autograd keeps what backward needs through its own references, so a
     * layer run this way frees its other intermediates at once instead of at the end of the step (as eager PyTorch
     * frees a Python temporary).
     */
    public static Tensor freeingIntermediates(Supplier<Tensor> body) {
        PointerScope outer = PointerScope.getInnerScope();
        if (outer == null) return body.get(); // outside any scope everything is left to the garbage collector anyway
        try (PointerScope inner = new PointerScope()) {
            Tensor result = body.get();
            outer.attach(result); // one more reference, which the inner scope's close does not take back
            return result;
        }
    }

    private static void checkSize(int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n
                    + " elements but " + length + " were given");
        }
    }
}
