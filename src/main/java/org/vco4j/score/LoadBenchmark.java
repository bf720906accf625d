package org.vco4j.score;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.ProcessMemory;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a checkpoint costs to use on this machine: wall time to load it, resident memory after loading, and the
 * speed of a forward pass scoring one request (an image, a prompt and a response) without gradients.
 */
public final class LoadBenchmark {
    static final String PROMPT = "Describe the image in detail.";
    static final String RESPONSE = "A red square and a blue circle on a white background.";

    /**
     * @param tokens input positions of the scored request (prompt, image tokens, response)
     */
    public record Result(Path folder, String dtype, long parameters, double loadSeconds, long residentBytes,
                         long peakResidentBytes, int tokens, int repeats, double forwardSeconds) {
        public double tokensPerSecond() {
            return tokens / forwardSeconds;
        }

        public String report() {
            return String.format(Locale.ROOT, """
                    checkpoint:        %s (%s, %,d parameters)
                    load:              %.2f s
                    resident memory:   %.2f GB after loading (peak %.2f GB)
                    forward:           %d tokens (image, prompt, response) in %.3f s = %.1f tokens/s (mean of %d, no gradients)""",
                    folder, dtype, parameters, loadSeconds, residentBytes / 1e9, peakResidentBytes / 1e9,
                    tokens, forwardSeconds, tokensPerSecond(), repeats);
        }
    }

    private LoadBenchmark() {}

    /** Loads {@code folder}, then scores one request {@code repeats} times after {@code warmups} untimed ones. */
    public static Result run(Path folder, ParameterFactory factory, int warmups, int repeats) throws IOException {
        if (repeats < 1) throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
        if (warmups < 0) throw new IllegalArgumentException("--warmup must be at least 0, got " + warmups);
        Path image = Files.createTempFile("vco-bench-", ".png");
        try {
            writeImage(image);
            long start = System.nanoTime();
            try (PretrainedVlm vlm = PretrainedVlm.load(folder, factory)) {
                double loadSeconds = (System.nanoTime() - start) / 1e9;
                long resident = ProcessMemory.residentBytes();
                Scorer scorer = new Scorer(vlm.model(), vlm.processor());
                ScoreRequest request = new ScoreRequest("bench", new Context(List.of(image), PROMPT), RESPONSE);
                int tokens = vlm.processor().promptIds(request.context()).length + vlm.processor().responseLength(RESPONSE) - 1;
                for (int i = 0; i < warmups; i++) score(scorer, request);
                long forward = System.nanoTime();
                for (int i = 0; i < repeats; i++) score(scorer, request);
                double forwardSeconds = (System.nanoTime() - forward) / 1e9 / repeats;
                return new Result(folder, factory.dtype().toString(), vlm.model().module().parameterCount(), loadSeconds,
                        resident, ProcessMemory.peakResidentBytes(), tokens, repeats, forwardSeconds);
            }
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static void score(Scorer scorer, ScoreRequest request) {
        try (PointerScope scope = new PointerScope()) {
            scorer.scoreWithoutGrad(List.of(request), false);
        }
    }

    /** A 640×480 picture (a red square and a blue circle on white), the size of a typical photo. */
    private static void writeImage(Path file) throws IOException {
        BufferedImage picture = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 640, 480);
        g.setColor(Color.RED);
        g.fillRect(80, 140, 200, 200);
        g.setColor(Color.BLUE);
        g.fillOval(360, 140, 200, 200);
        g.dispose();
        ImageIO.write(picture, "png", file.toFile());
    }
}
