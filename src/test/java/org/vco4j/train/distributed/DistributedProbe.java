package org.vco4j.train.distributed;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One rank of the two-process tests, started by {@link DistributedContextTwoRanksTest} with the torchrun
 * variables set. Prints {@code key: value} lines for the parent to check.
 *
 * <p>{@code collectives}: mean, sum, broadcast, gradient averaging with a gradient missing on one rank,
 * barrier, and ranks passing different tensors. {@code model <test root> <out folder>}: the data-parallel
 * step on the tiny checkpoint; writes this rank's averaged gradients to {@code grads-<rank>.bin}.
 */
public final class DistributedProbe {
    public static void main(String[] args) throws Exception {
        // Two ranks share the test machine's cores.
        torch.set_num_threads(1);
        long start = System.nanoTime();
        try (DistributedContext context = DistributedContext.fromEnvironment()) {
            System.out.println("rendezvous_ms: " + millisSince(start));
            System.out.println("context: " + context);
            if (args[0].equals("collectives")) collectives(context);
            else model(context, Path.of(args[1]), Path.of(args[2]));
            context.barrier();
        }
        System.out.println("done: yes");
    }

    private static void collectives(DistributedContext context) throws InterruptedException {
        int r = context.rank();
        try (PointerScope scope = new PointerScope()) {
            // A transposed (non-contiguous) view and a float64 tensor: two buckets, strided copy-back.
            Tensor base = Tensors.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).mul(Tensors.scalar(r + 1));
            Tensor transposed = base.t();
            Tensor doubles = Tensors.doubles(r + 0.25, 10.0 * r, -3.0 * r);
            context.allReduceMean(List.of(transposed, doubles));
            print("mean_float", Tensors.toFloatArray(base));
            print("mean_double", Tensors.toFloatArray(doubles));

            print("sum", Tensors.toFloatArray(context.allReduceSum(Tensors.scalar(r + 1))));

            Tensor weights = r == 0 ? Tensors.floats(7, 8, 9) : Tensors.floats(0, 0, 0);
            Tensor ids = r == 0 ? Tensors.longs(5, 6) : Tensors.longs(0, 0);
            context.broadcast(List.of(weights, ids), 0);
            print("broadcast_from_0", Tensors.toFloatArray(weights), Tensors.toFloatArray(ids));
            // A leaf that requires grad, as model parameters are.
            Tensor parameter = Tensors.floats(10f * r, 10f * r + 1).requires_grad_(true);
            context.broadcast(List.of(parameter), 1);
            print("broadcast_from_1", Tensors.toFloatArray(parameter));

            // 'used' gets a gradient on rank 0 only; 'unused' on no rank; 'frozen' does not train.
            Tensor used = Tensors.floats(1, 1, 1).requires_grad_(true);
            Tensor unused = Tensors.floats(1, 1).requires_grad_(true);
            Tensor frozen = Tensors.floats(1);
            if (r == 0) used.mul(Tensors.floats(2, 4, 6)).sum().backward();
            context.allReduceGradients(List.of(used, unused, frozen));
            print("grad_used", Tensors.toFloatArray(used.grad()));
            System.out.println("grad_unused_defined: " + unused.grad().defined());
        }

        if (r == 1) Thread.sleep(700);
        long start = System.nanoTime();
        context.barrier();
        System.out.println("barrier_ms: " + (System.nanoTime() - start) / 1_000_000);

        try (PointerScope scope = new PointerScope()) {
            context.allReduceMean(List.of(r == 0 ? Tensors.floats(1, 2, 3) : Tensors.floats(1, 2, 3, 4)));
            System.out.println("mismatch: not detected");
        } catch (DistributedException e) {
            System.out.println("mismatch: " + e.getMessage());
        }
        // The group survives a detected mismatch.
        try (PointerScope scope = new PointerScope()) {
            print("after_mismatch", Tensors.toFloatArray(context.allReduceSum(Tensors.scalar(1))));
        }
    }

    private static void model(DistributedContext context, Path root, Path out) throws IOException {
        long start = System.nanoTime();
        try (PretrainedVlm vlm = PretrainedVlm.load(root.resolve("tiny"), ParameterFactory.cpuFloat32())) {
            System.out.println("load_ms: " + millisSince(start));
            Map<String, Tensor> parameters = vlm.model().module().namedParameters();
            if (context.rank() != 0) {
                // Start from different weights: the broadcast must make them rank 0's.
                try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
                    for (Tensor p : parameters.values()) p.add_(torch.randn_like(p).mul(Tensors.scalar(0.05)));
                }
            }
            System.out.println("checksum_before: " + checksum(parameters.values()));
            start = System.nanoTime();
            context.broadcast(parameters.values(), 0);
            System.out.println("broadcast_ms: " + millisSince(start) + " (" + vlm.model().module().parameterCount() + " weights)");
            System.out.println("checksum_after: " + checksum(parameters.values()));

            vlm.model().module().requiresGrad(true);
            Scorer scorer = new Scorer(vlm.model(), vlm.processor());
            try (PointerScope scope = new PointerScope()) {
                var shard = BatchSharding.shard(DistributedContextTwoRanksTest.globalBatch(root), context);
                System.out.println("shard: " + shard.stream().map(s -> s.id()).collect(Collectors.joining(",")));
                start = System.nanoTime();
                scorer.score(shard, false).logps().mean().neg().backward();
                System.out.println("forward_backward_ms: " + millisSince(start));
                start = System.nanoTime();
                context.allReduceGradients(parameters.values());
                System.out.println("all_reduce_ms: " + millisSince(start));
                writeGradients(parameters, out.resolve("grads-" + context.rank() + ".bin"));
            }
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static double checksum(Iterable<Tensor> tensors) {
        double sum = 0;
        try (PointerScope scope = new PointerScope()) {
            for (Tensor t : tensors) sum += Tensors.item(t.detach().to(torch.ScalarType.Double).abs().sum());
        }
        return sum;
    }

    /** Per parameter: name, whether it has a gradient, and the gradient's values. */
    static void writeGradients(Map<String, Tensor> parameters, Path file) throws IOException {
        try (DataOutputStream data = new DataOutputStream(Files.newOutputStream(file))) {
            data.writeInt(parameters.size());
            for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
                data.writeUTF(e.getKey());
                boolean defined = e.getValue().grad().defined();
                data.writeBoolean(defined);
                float[] values = defined ? Tensors.toFloatArray(e.getValue().grad()) : new float[0];
                data.writeInt(values.length);
                for (float v : values) data.writeFloat(v);
            }
        }
    }

    private static void print(String key, float[]... parts) {
        List<String> values = new ArrayList<>();
        for (float[] part : parts) for (float v : part) values.add(Float.toString(v));
        System.out.println(key + ": " + String.join(" ", values));
    }
}
