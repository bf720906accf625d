package org.vco4j.train.distributed;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.tensor.Tensors;

import java.util.Arrays;

/**
 * A tiny program for {@link LocalLauncherTest}: joins the run from the environment, sums rank+1 over the
 * ranks and prints what it saw. With {@code fail-rank=R}, rank R exits with code 3 before the rendezvous, so
 * the other ranks wait there until the launcher stops them. With {@code threads}, each rank first prints its
 * {@code OMP_NUM_THREADS}.
 */
public final class LaunchedMain {
    public static void main(String[] args) {
        DistributedEnvironment environment = DistributedEnvironment.fromSystem();
        for (String a : args) {
            if (a.equals("threads")) System.out.println("rank " + environment.rank() + " OMP_NUM_THREADS " + System.getenv("OMP_NUM_THREADS"));
            if (a.equals("fail-rank=" + environment.rank())) {
                System.err.println("rank " + environment.rank() + " fails on purpose");
                System.exit(3);
            }
        }
        try (DistributedContext context = DistributedContext.fromEnvironment(); PointerScope scope = new PointerScope()) {
            double sum = Tensors.item(context.allReduceSum(Tensors.scalar(context.rank() + 1)));
            System.out.println("rank " + context.rank() + " of " + context.worldSize() + " local " + context.localRank()
                    + " main " + context.isMain() + " args " + Arrays.asList(args) + " sum " + sum);
            context.barrier();
        }
    }
}
