package org.vco4j.model.lora;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Inverted dropout on the adapters' inputs, with masks drawn from a CPU generator this object owns
 * rather than libtorch's global one, so that the masks depend only on the seed and on the order of
 * draws, not on whatever else in the process consumes random numbers. Masks are drawn on the CPU and
 * moved to the input's device, so they are also the same on every device.
 *
 * <p>Owns native memory (the generator); close it.
 */
final class LoraDropout implements AutoCloseable {
    private final double probability;
    private final long seed;
    private final Generator generator;
    private boolean closed;

    LoraDropout(double probability, long seed) {
        this.probability = probability;
        this.seed = seed;
        this.generator = torch.createCPUGenerator(Seeds.mix(seed, 0)); // as if reseeded at step 0
        // Kept alive past any PointerScope open while it is created; released in close().
        generator.retainReference();
    }

    /**
     * {@code x} with a fresh Bernoulli(p) draw of its elements set to zero, not yet divided by {@code 1 - p}
     * ({@link #rescale()}; the adapter applies it to its r-wide output instead of to {@code x}); {@code x} itself
     * when p is 0. The mask autograd keeps for the backward is boolean, a quarter of a float32 one.
     */
    Tensor zeroed(Tensor x) {
        if (probability == 0) return x;
        checkOpen();
        Tensor uniform = torch.rand(x.sizes().vec().get(), new GeneratorOptional(generator), new TensorOptions(ScalarType.Float));
        return x.masked_fill(uniform.lt(new Scalar(probability)).to(x.device(), ScalarType.Bool), new Scalar(0.0));
    }

    /** {@code 1 / (1 - p)}: inverted dropout's scale of the kept elements. */
    double rescale() {
        return 1 / (1 - probability);
    }

    /** Restarts the mask sequence at a point fixed by (seed, step): a resumed run draws the same masks from there. */
    void reseed(long step) {
        checkOpen();
        generator.set_current_seed(Seeds.mix(seed, step));
    }

    /** The generator's complete state (libtorch's CPU generator: Mersenne Twister plus cached normal). */
    byte[] state() {
        checkOpen();
        try (PointerScope scope = new PointerScope()) {
            Tensor state = generator.get_state().contiguous();
            byte[] bytes = new byte[(int) state.nbytes()];
            new BytePointer(state.data_ptr()).capacity(bytes.length).get(bytes);
            return bytes;
        }
    }

    /** Puts back a state from {@link #state()}; libtorch rejects bytes of the wrong size. */
    void restore(byte[] state) {
        checkOpen();
        try (PointerScope scope = new PointerScope(); BytePointer data = new BytePointer(state)) {
            Tensor tensor = torch.from_blob(data, new long[] {state.length}, new TensorOptions(ScalarType.Byte)).clone();
            generator.set_state(tensor);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a dropout generator state (" + state.length + " bytes): " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the LoRA adapters were closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        generator.releaseReference();
    }
}
