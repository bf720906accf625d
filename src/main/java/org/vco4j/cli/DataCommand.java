package org.vco4j.cli;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.endpoints.ContrastiveEditing;
import org.vco4j.data.endpoints.MvcTextAugmentation;
import org.vco4j.data.endpoints.VtcAnnotation;
import org.vco4j.data.imports.DatasetImport;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.EndpointSettings;
import org.vco4j.endpoint.ImageEditClient;
import org.vco4j.data.mining.ClipBlindMining;
import org.vco4j.data.mining.ClipBlindSearch;
import org.vco4j.data.mining.MvcFilter;
import org.vco4j.data.imports.DatasetReaders;
import org.vco4j.data.seva.Augmentation;
import org.vco4j.data.seva.Augmentations;
import org.vco4j.data.seva.SevaPairs;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.Flops;
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
        subcommands = {DataCommand.Import.class, DataCommand.Seva.class, DataCommand.MvcFilterCommand.class, DataCommand.ClipBlind.class,
                DataCommand.Edit.class, DataCommand.AugmentText.class, DataCommand.AnnotatePairs.class})
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
                Flops.Meter meter = Flops.Meter.start();
                result = SevaPairs.write(samples, SevaPairs.greedyAnswerer(vlm, maxNewTokens.maxNewTokens), chosen, random.seed, out,
                        () -> progress.advance(1));
                progress.finish();
                System.err.printf(Locale.ROOT, "seva: %d samples answered on %d images each in %.1f s; %s%n", samples.size(),
                        1 + chosen.size(), meter.seconds(), meter.describe(vlm.model().parameters()));
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

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = {"IC-VCO's contrastive sample editing: a planner (a VLM) proposes one minimal edit of an object,",
                    "attribute, count or position and rewrites the answer; an image editor (OpenAI's images edit API) applies it",
                    "through the reversible fit-and-pad geometry; a verifier (a VLM, `vco serve` works) checks the edit happened",
                    "and nothing else changed. Writes IC-VCO tuples (m, m', x, y, y'_new) with token masks for",
                    "`vco train --objective ic-vco`, edited images in FILE-images/, FILE.summary.json (failures by stage,",
                    "requests and tokens). Seeds: JSONL {\"id\"?, \"image\", \"prompt\", \"chosen\", \"rejected\"?}.",
                    "An interrupted run resumes from FILE.partial."})
    static final class Edit implements Callable<Integer> {
        @Option(names = "--in", required = true, paramLabel = "FILE.jsonl", description = "The seeds.")
        Path in;

        @Option(names = "--images", paramLabel = "DIR", description = "Where the seeds' image paths start (default: the seeds file's folder).")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The tuples to write.")
        Path out;

        @Option(names = "--planner", required = true, paramLabel = "URL", description = "OpenAI-compatible API root of the planner (chat completions).")
        String plannerUrl;

        @Option(names = "--planner-model", required = true, paramLabel = "NAME", description = "The planner model.")
        String plannerModel;

        @Option(names = "--planner-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
                description = "Environment variable holding the planner's API key (default: ${DEFAULT-VALUE}; unset: no key is sent).")
        String plannerKey;

        @Option(names = "--editor", required = true, paramLabel = "URL", description = "API root of the image editor (POST URL/images/edits).")
        String editorUrl;

        @Option(names = "--editor-model", required = true, paramLabel = "NAME", description = "The editing model.")
        String editorModel;

        @Option(names = "--editor-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
                description = "Environment variable holding the editor's API key (default: ${DEFAULT-VALUE}).")
        String editorKey;

        @Option(names = "--editor-size", defaultValue = "1024", description = "The editor's square canvas (default: ${DEFAULT-VALUE}, as IC-VCO).")
        int editorSize;

        @Option(names = "--verifier", required = true, paramLabel = "URL", description = "API root of the verifier VLM (chat completions with images).")
        String verifierUrl;

        @Option(names = "--verifier-model", required = true, paramLabel = "NAME", description = "The verifier model.")
        String verifierModel;

        @Option(names = "--verifier-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
                description = "Environment variable holding the verifier's API key (default: ${DEFAULT-VALUE}).")
        String verifierKey;

        @Option(names = "--temperature", defaultValue = "0", description = "Planner and verifier temperature (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Mixin
        PipelineOptions pipeline;

        @Override
        public Integer call() throws IOException {
            ContrastiveEditing.Settings settings = new ContrastiveEditing.Settings(
                    ChatClient.open(pipeline.settings("planner", plannerUrl, plannerModel, plannerKey, out, true)),
                    ImageEditClient.open(pipeline.settings("editor", editorUrl, editorModel, editorKey, out, false)),
                    ChatClient.open(pipeline.settings("verifier", verifierUrl, verifierModel, verifierKey, out, true)),
                    editorSize, pipeline.answerAttempts, temperature, pipeline.concurrency);
            ContrastiveEditing.Result result = ContrastiveEditing.run(settings, in, images, out);
            System.out.println("wrote " + result.written() + " edited tuples of " + result.records() + " seeds to " + out + "; "
                    + result.failed() + " failed; summary in " + result.summary());
            return 0;
        }
    }

    @Command(name = "augment-text", mixinStandardHelpOptions = true,
            description = {"MVC's two-step LLM text augmentation (S-VCO, Appendix C): for each contrastive tuple the LLM first",
                    "writes a conversational question the two captions answer, keeping the contrast explicit, then revises the",
                    "question and rephrases both captions into natural answers that keep the contrastive details. Writes the",
                    "tuples with the new prompt and responses (same images, copied into FILE-images/ when outside the output's",
                    "folder) and FILE.summary.json. An interrupted run resumes from FILE.partial."})
    static final class AugmentText implements Callable<Integer> {
        @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Contrastive tuples (images [m, m'], responses [y, y']).")
        Path data;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The augmented tuples.")
        Path out;

        @Option(names = "--llm", required = true, paramLabel = "URL", description = "OpenAI-compatible API root of the LLM (chat completions).")
        String llmUrl;

        @Option(names = "--llm-model", required = true, paramLabel = "NAME", description = "The LLM (S-VCO used gpt-4o).")
        String llmModel;

        @Option(names = "--llm-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
                description = "Environment variable holding the LLM's API key (default: ${DEFAULT-VALUE}; unset: no key is sent).")
        String llmKey;

        @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature of both steps, for diverse wording (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Mixin
        PipelineOptions pipeline;

        @Override
        public Integer call() throws IOException {
            MvcTextAugmentation.Settings settings = new MvcTextAugmentation.Settings(
                    ChatClient.open(pipeline.settings("llm", llmUrl, llmModel, llmKey, out, true)), pipeline.answerAttempts, temperature,
                    pipeline.concurrency);
            MvcTextAugmentation.Result result = MvcTextAugmentation.run(settings, data, out);
            System.out.println("wrote " + result.written() + " augmented tuples of " + result.records() + " to " + out + "; "
                    + result.failed() + " failed; summary in " + result.summary());
            return 0;
        }
    }

    @Command(name = "annotate-pairs", mixinStandardHelpOptions = true,
            description = {"JoMPO's VTC annotation of CLIP-blind pairs (`vco data clip-blind`): a VLM scores each of MMVP's nine",
                    "visual contrast types for importance and hallucination likelihood, with rationales; the highest-scoring type",
                    "is kept; then, guided by in-context exemplars of that type, the VLM writes a shared prompt and two responses",
                    "that differ only where the images differ. Writes tuples for `vco train --objective jompo`, FILE.review.md",
                    "for light human verification and FILE.summary.json. An interrupted run resumes from FILE.partial."})
    static final class AnnotatePairs implements Callable<Integer> {
        @Option(names = "--pairs", required = true, paramLabel = "PAIRS.jsonl", description = "CLIP-blind pairs {\"images\": [a, b], ...}.")
        Path pairs;

        @Option(names = "--images", required = true, paramLabel = "DIR", description = "The folder that was embedded (the pairs' ids start there).")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "The tuples to write.")
        Path out;

        @Option(names = "--annotator", required = true, paramLabel = "URL", description = "OpenAI-compatible API root of the annotating VLM.")
        String annotatorUrl;

        @Option(names = "--annotator-model", required = true, paramLabel = "NAME", description = "The VLM (JoMPO used gpt-4o).")
        String annotatorModel;

        @Option(names = "--annotator-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
                description = "Environment variable holding the annotator's API key (default: ${DEFAULT-VALUE}; unset: no key is sent).")
        String annotatorKey;

        @Option(names = "--temperature", defaultValue = "0", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Mixin
        PipelineOptions pipeline;

        @Override
        public Integer call() throws IOException {
            VtcAnnotation.Settings settings = new VtcAnnotation.Settings(
                    ChatClient.open(pipeline.settings("annotator", annotatorUrl, annotatorModel, annotatorKey, out, true)),
                    pipeline.answerAttempts, temperature, pipeline.concurrency);
            VtcAnnotation.Result result = VtcAnnotation.run(settings, pairs, images, out);
            System.out.println("wrote " + result.written() + " annotated pairs of " + result.records() + " to " + out + "; "
                    + result.failed() + " failed; review in " + result.review() + "; summary in " + result.summary());
            return 0;
        }
    }
}
