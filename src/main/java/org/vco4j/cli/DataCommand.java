package org.vco4j.cli;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.seva.Augmentation;
import org.vco4j.data.seva.Augmentations;
import org.vco4j.data.seva.SevaPairs;
import org.vco4j.model.PretrainedVlm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vco data}: building training data with a model. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Build training data with a model.",
        subcommands = {DataCommand.Seva.class})
final class DataCommand extends CommandGroup {
    @Command(name = "seva", mixinStandardHelpOptions = true,
            description = {"SeVa pairs: the model's greedy answer on each sample's image is chosen, its answer on an",
                    "augmented image rejected; pairs with equal answers are dropped. Augmented images go to FILE-images/.",
                    "Repeat --augmentation for several rejected answers per pair (multi-negative SeVa)."})
    static final class Seva implements Callable<Integer> {
        @CommandLine.Mixin
        ModelOptions options;

        @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Samples whose image and prompt are used.")
        Path data;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The pairs to write.")
        Path out;

        @Option(names = "--augmentation", paramLabel = "NAME",
                description = "flip, random-resized-crop, diffusion-weak, diffusion-strong (default) or moco-v2.")
        List<String> augmentations = new ArrayList<>();

        @CommandLine.Mixin
        MaxNewTokens maxNewTokens;

        @Mixin
        Seed random;

        @Override
        public Integer call() throws IOException {
            List<Augmentation> chosen = (augmentations.isEmpty() ? List.of("diffusion-strong") : augmentations).stream()
                    .map(Augmentations::named).toList();
            List<Sample> samples = SampleReader.read(data);
            AtomicFiles.checkTarget(out);
            SevaPairs.Result result;
            try (PretrainedVlm vlm = options.load()) {
                ProgressBar progress = new ProgressBar("seva", samples.size(), "samples");
                result = SevaPairs.write(samples, SevaPairs.greedyAnswerer(vlm, maxNewTokens.maxNewTokens), chosen, random.seed, out,
                        () -> progress.advance(1));
                progress.finish();
            }
            System.out.println("wrote " + result.pairs().size() + " SeVa pairs to " + out + "; dropped " + result.droppedEqual()
                    + " with equal answers and " + result.droppedEmpty() + " with an empty answer");
            return 0;
        }
    }
}
