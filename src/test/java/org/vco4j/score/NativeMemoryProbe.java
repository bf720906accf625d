package org.vco4j.score;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs forward + backward steps on a checkpoint and prints how much resident memory grew after warm-up.
 * Started in its own JVM with a fixed, pre-touched heap, so the growth it reports is native memory.
 *
 * <p>Arguments: checkpoint folder, image, steps, and {@code scoped} or {@code unscoped}.
 */
public final class NativeMemoryProbe {
    private static final int WARMUP = 40;

    public static void main(String[] args) throws IOException {
        Path checkpoint = Path.of(args[0]);
        Path image = Path.of(args[1]);
        int steps = Integer.parseInt(args[2]);
        boolean scoped = args[3].equals("scoped");
        Context withImage = new Context(List.of(image), "<image>\nDescribe the image.");
        List<ScoreRequest> requests = List.of(
                new ScoreRequest("a", withImage, "There is a red circle."),
                new ScoreRequest("b", withImage, "a blue square"),
                new ScoreRequest("c", Context.textOnly("Describe the image."), "There is a red circle."));
        try (PretrainedVlm vlm = PretrainedVlm.load(checkpoint, ParameterFactory.cpuFloat32())) {
            Scorer scorer = new Scorer(vlm.model(), vlm.processor());
            vlm.model().module().requiresGrad(true);
            long afterWarmup = 0;
            for (int step = 0; step < WARMUP + steps; step++) {
                if (scoped) {
                    try (PointerScope scope = new PointerScope()) {
                        step(vlm, scorer, requests, step);
                    }
                } else {
                    step(vlm, scorer, requests, step);
                }
                if (step == WARMUP - 1) afterWarmup = residentKilobytes();
            }
            System.out.println("growth_kb=" + (residentKilobytes() - afterWarmup));
        }
    }

    private static void step(PretrainedVlm vlm, Scorer scorer, List<ScoreRequest> requests, int step) {
        scorer.score(requests, step % 2 == 0).logps().sum().backward();
        for (Tensor p : vlm.model().module().namedParameters().values()) if (p.grad().defined()) p.grad().zero_();
    }

    static long residentKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
