package org.vco4j.cli;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.imports.DatasetImport;
import org.vco4j.data.imports.DatasetReaders;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vco data}: building training data with a model. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Import the papers' datasets; build training data with a model.",
        subcommands = {DataCommand.Import.class, DataCommand.Seva.class})
final class DataCommand extends CommandGroup {
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Convert a published preference dataset (JSON list or JSONL) to vco4j's sample format, checking",
                    "every record. Images go to FILE-images/ beside the output (hard links where possible, else copies;",
                    "embedded image bytes are written as files); a summary is written to FILE.summary.json."})
    static final class Import implements Callable<Integer> {
        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "s-vco (= mvc), ic-vco, ic-vco-synthetic, seva, mdpo, rlaif-v, llava-rlhf or columns (with --map).")
        String format;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The dataset file as published.")
        Path in;

        @Option(names = "--images", paramLabel = "DIR", description = "Where its relative image paths start (default: the file's folder).")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The samples to write.")
        Path out;

        @Option(names = "--map", paramLabel = "ROLE=FIELD,...",
                description = "For --format columns: image, prompt, chosen and rejected (a pair) or contrast_image and contrast_response (a tuple), optional contrast.")
        String map;

        @Option(names = "--copy", description = "Copy images even where a hard link is possible.")
        boolean copy;

        @Override
        public Integer call() throws IOException {
            DatasetImport.Summary summary = DatasetImport.run(DatasetReaders.named(format, map), in, images, out, copy);
            System.out.println("wrote " + summary.written() + " of " + summary.read() + " records to " + out + "; dropped "
                    + (summary.read() - summary.written()) + (summary.dropped().isEmpty() ? "" : " " + summary.dropped())
                    + "; summary in " + DatasetImport.summaryFile(out));
            return 0;
        }
    }

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
                description = {"SeVa Table 1: flip, random-resized-crop[:MIN_SCALE], auto-augment, diffusion-weak (step 500),",
                        "diffusion-strong (800, default), diffusion:STEP, moco-v2; Fig. 2: random-crop[:FRACTION],",
                        "center-crop[:FRACTION], random-affine[:DEGREES], random-invert, simclr, byol, byol-prime; alone:",
                        "color-jitter[:S], grayscale, gaussian-blur[:SIGMA]. Repeat for several negatives."})
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
                    + " with equal answers and " + result.droppedEmpty() + " with an empty answer"
                    + String.format(Locale.ROOT, " (%.1f %% dropped as identical)", 100 * result.shareDroppedIdentical())
                    + "; summary in " + DataPaths.summaryBeside(out));
            return 0;
        }
    }
}
