package org.vco4j.tensor;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import java.util.Random;

/**
 * Child-JVM side of {@link NativeThreadsTest}: chooses the OpenBLAS as {@code vco} does at start, then multiplies two
 * matrices with libtorch and prints what is in force, the library {@code sgemm_} binds to and the product's largest
 * error against a double-precision product computed here.
 */
public final class NativeThreadsProbe {
    public static void main(String[] args) {
        String inForce = NativeThreads.configure();
        int n = 300; // above OpenBLAS's threshold for running a product on several threads
        float[] a = new float[n * n], b = new float[n * n];
        Random random = new Random(7);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        Tensor product = torch.mm(Tensors.floats(a, n, n), Tensors.floats(b, n, n)).contiguous();
        float[] got = Tensors.toFloatArray(product);
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += (double) a[i * n + k] * b[k * n + j];
                worst = Math.max(worst, Math.abs(sum - got[i * n + j]));
            }
        System.out.println("in_force=" + inForce);
        System.out.println("sgemm=" + NativeThreads.libraryOf("sgemm_"));
        System.out.println("max_error=" + worst);
        System.out.println("torch_threads=" + torch.get_num_threads());
    }
}
