package org.vco4j.cli;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.nn.Flops;
import org.vco4j.model.processing.Context;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vco generate}: answer a prompt about zero or more images. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Answer a prompt about zero or more images (greedy by default; sampling with --temperature).",
                "Each <image> in the prompt takes one --image, in order; a prompt without <image> gets one "
                        + "\"<image>\\n\" per image in front, as in LLaVA's training data."})
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--image", paramLabel = "FILE", description = "An image (repeat for several).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--prompt", required = true, description = "The user's prompt.")
    String prompt;

    @Mixin
    MaxNewTokens maxNewTokens;

    @Mixin
    Sampling sampling;

    @Mixin
    Seed random;

    @Override
    public Integer call() {
        GenerationConfig config = sampling.config(maxNewTokens.maxNewTokens, random);
        Context condition = new Context(images, prompt).withDefaultPlaceholders();
        try (PretrainedVlm vlm = options.load(); PointerScope scope = new PointerScope()) {
            Flops.Meter meter = Flops.Meter.start();
            Generator.Generation generation = new Generator(vlm.model(), vlm.processor()).generate(condition, config);
            System.out.println(generation.text());
            System.err.printf(Locale.ROOT, "%d new tokens in %.2f s: time to first token %.3f s (prompt of %d tokens, images included), "
                            + "then %.1f tokens/s; %s%n", generation.ids().length, generation.seconds(), generation.firstTokenSeconds(),
                    generation.promptTokens(), generation.tokensPerSecondAfterFirst(), meter.describe(vlm.model().parameters()));
        }
        return 0;
    }
}
