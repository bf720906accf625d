package org.vco4j.cli;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.imports.DatasetImport;
import org.vco4j.data.mining.ClipBlindMining;
import org.vco4j.data.mining.ClipBlindSearch;
import org.vco4j.data.mining.MvcFilter;
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
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code vco data}: building training data with a model. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Import the papers' datasets; build training data with a model.",
        subcommands = {DataCommand.Import.class, DataCommand.Seva.class, DataCommand.MvcFilterCommand.class, DataCommand.ClipBlind.class})
final class DataCommand extends CommandGroup {
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Convert a published preference dataset (JSON list, JSONL or Parquet) to vco4j's sample format, checking",
                    "every record. Images go to FILE-images/ beside the output (hard links where possible, else copies;",
                    "embedded image bytes are written as files); a summary is written to FILE.summary.json."})
    static final class Import implements Callable<Integer> {
        @Option(names = "--format", required = true, paramLabel = "FORMAT",
                description = "s-vco (= mvc), ic-vco, ic-vco-synthetic, seva, mdpo, rlaif-v, llava-rlhf, jompo-vtc (with --map) or columns (with --map).")
        String format;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "The dataset file as published (JSON, JSONL or Parquet, told apart by content).")
        Path in;

        @Option(names = "--images", paramLabel = "DIR", description = "Where its relative image paths start (default: the file's folder).")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The samples to write.")
        Path out;

        @Option(names = "--map", paramLabel = "ROLE=FIELD,...",
                description = "For --format columns: image, prompt, chosen and rejected (a pair) or contrast_image and contrast_response (a tuple), "
                        + "optional contrast; for --format jompo-vtc: image, contrast_image, prompt, chosen, contrast_response and contrast.")
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

    @Command(name = "mvc-filter", mixinStandardHelpOptions = true,
            description = {"S-VCO's MVC filter: keep the contrastive tuples [m, m'] that SigLIP finds alike (cosine above",
                    "--siglip-min) and DINOv2 finds different (cosine below --dino-max); --bypass types (position flips, as in",
                    "the paper) skip the filter and, as in the paper, a seeded draw keeps them at their share of the candidates",
                    "(--bypass-share all keeps every one). Embeddings come from `vco embed` over the images' folder. Writes the",
                    "kept samples, FILE.summary.json and a kept/dropped table per contrast type."})
    static final class MvcFilterCommand implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Candidate tuples with images [m, m'] and a contrast type.")
        Path data;

        @Option(names = "--siglip", required = true, paramLabel = "EMB", description = "SigLIP embeddings of the images (`vco embed`).")
        Path siglip;

        @Option(names = "--dino", required = true, paramLabel = "EMB", description = "DINOv2 embeddings of the same images.")
        Path dino;

        @Option(names = "--images", paramLabel = "DIR", description = "The folder that was embedded (default: the data file's folder).")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The kept samples.")
        Path out;

        @Option(names = "--siglip-min", defaultValue = "0.7", description = "Keep SigLIP cosines above this (default: ${DEFAULT-VALUE}).")
        double siglipMin;

        @Option(names = "--dino-max", defaultValue = "0.5", description = "Keep DINOv2 cosines below this (default: ${DEFAULT-VALUE}).")
        double dinoMax;

        @Option(names = "--bypass", paramLabel = "TYPE", split = ",", defaultValue = "position",
                description = "Contrast types that skip the filter (default: ${DEFAULT-VALUE}); `--bypass ''` for none.")
        List<String> bypass;

        @Option(names = "--bypass-share", paramLabel = "source|all", defaultValue = "source",
                description = "How many of a bypassed type to keep: `source` draws as many as give it its share of the candidates"
                        + " (S-VCO, Appendix A), `all` keeps every one (default: ${DEFAULT-VALUE}).")
        String bypassShare;

        @Mixin
        Seed random;

        @Override
        public Integer call() throws IOException {
            Set<String> types = Set.copyOf(bypass.stream().filter(type -> !type.isBlank()).toList());
            MvcFilter.BypassShare share = switch (bypassShare) {
                case "source" -> MvcFilter.BypassShare.SOURCE;
                case "all" -> MvcFilter.BypassShare.ALL;
                default -> throw new IllegalArgumentException("option --bypass-share: expected source or all, got '" + bypassShare + "'");
            };
            MvcFilter.Result result = MvcFilter.run(data, siglip, dino, images, out,
                    new MvcFilter.Settings(siglipMin, dinoMax, types, share, random.seed));
            System.out.print(result.table());
            System.out.println("wrote " + result.total().kept() + " of " + result.total().samples() + " samples to " + out
                    + "; summary in " + DataPaths.summaryBeside(out));
            return 0;
        }
    }

    @Command(name = "clip-blind", mixinStandardHelpOptions = true,
            description = {"JoMPO's CLIP-blind pairs: every two images whose CLIP cosine is above --clip-min and DINOv2 cosine",
                    "below --dino-max, by an exact blockwise search. Output: JSONL {\"images\": [a, b], \"clip_cosine\", \"dinov2_cosine\"}",
                    "and FILE.summary.json. An interrupted run resumes from FILE.partial."})
    static final class ClipBlind implements Callable<Integer> {
        @Option(names = "--clip", required = true, paramLabel = "EMB", description = "CLIP embeddings (`vco embed`).")
        Path clip;

        @Option(names = "--dino", required = true, paramLabel = "EMB", description = "DINOv2 embeddings of the same images.")
        Path dino;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The pairs to write.")
        Path out;

        @Option(names = "--clip-min", defaultValue = "0.95", description = "Keep CLIP cosines above this (default: ${DEFAULT-VALUE}).")
        double clipMin;

        @Option(names = "--dino-max", defaultValue = "0.6", description = "Keep DINOv2 cosines below this (default: ${DEFAULT-VALUE}).")
        double dinoMax;

        @Option(names = "--block-size", defaultValue = "1024", description = "Rows per matrix product; memory is about block x N floats (default: ${DEFAULT-VALUE}).")
        int blockSize;

        @Option(names = "--top-k", defaultValue = "64", description = "Candidates per row before a row is searched in full; speed only (default: ${DEFAULT-VALUE}).")
        int topK;

        @Override
        public Integer call() throws IOException {
            ClipBlindSearch.Settings settings = new ClipBlindSearch.Settings(clipMin, dinoMax, blockSize, topK);
            ClipBlindMining.Result result = ClipBlindMining.run(clip, dino, out, settings);
            System.out.println(String.format(Locale.ROOT, "wrote %d CLIP-blind pairs among %d images to %s (%d of %d blocks resumed, "
                    + "%.1f s); summary in %s", result.pairs(), result.images(), out, result.resumedBlocks(), result.blocks(),
                    result.seconds(), ClipBlindMining.summaryFile(out)));
            return 0;
        }
    }
}
