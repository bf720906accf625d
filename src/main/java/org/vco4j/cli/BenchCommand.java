package org.vco4j.cli;

import org.vco4j.data.mining.ClipBlindBenchmark;
import org.vco4j.data.mining.ClipBlindSearch;
import org.vco4j.score.LoadBenchmark;
import org.vco4j.serve.ServeBenchmark;
import org.vco4j.train.ScalingBenchmark;
import org.vco4j.train.TrainConfig;
import org.vco4j.train.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vco bench}: measurements that print ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print speed ratios.",
        subcommands = {BenchCommand.Train.class, BenchCommand.Scale.class, BenchCommand.Demo.class, BenchCommand.Sweep.class, BenchCommand.Ablations.class, BenchCommand.Load.class, BenchCommand.Serving.class,
        BenchCommand.ClipBlindThroughput.class})
final class BenchCommand extends CommandGroup {
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Training samples/s with the reference recomputed in every step and no prefix sharing (the papers' "
                    + "reference code), with a cached reference, and with a cached reference and shared prefixes; one run, same steps."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--objective", defaultValue = "s-vco") String objective;
        @Option(names = "--model", required = true, paramLabel = "DIR") Path model;
        @Option(names = "--data", required = true, paramLabel = "FILE.jsonl") Path data;
        @Option(names = "--steps", defaultValue = "10", description = "Measured steps per scheme (default: ${DEFAULT-VALUE}).") int steps;
        @Option(names = "--warmup-steps", defaultValue = "2") int warmupSteps;
        @Option(names = "--batch-size", defaultValue = "4") int batchSize;
        @Option(names = "--full", description = "Full fine-tuning instead of LoRA.") boolean full;
        @Option(names = "--device", defaultValue = "cpu") String device;
        @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|bf16-mixed",
                description = "Weights and products in float32, weights and products in bfloat16, or float32 weights with "
                        + "bfloat16 products (default: ${DEFAULT-VALUE}).") String precision;
        @Option(names = "--profile", description = "Also print where each scheme's step time goes, by stage.") boolean profile;
        @Option(names = "--pad-to-multiple-of", defaultValue = "1", paramLabel = "N",
                description = "Round padded widths up to a multiple of N (default: ${DEFAULT-VALUE}).") int padToMultipleOf;

        @Override
        public Integer call() throws Exception {
            TrainConfig config = new TrainConfig();
            config.padToMultipleOf = padToMultipleOf;
            config.objective = objective;
            config.model = model;
            config.data = data;
            config.outputDir = Path.of("unused");
            config.batchSize = batchSize;
            config.finetuning = full ? "full" : "lora";
            config.loraDropout = 0;
            config.device = device;
            config.precision = precision;
            System.err.printf("bench train: %s on %s, batch %d, %d measured steps per scheme after %d warm-up steps%n",
                    objective, model, batchSize, steps, warmupSteps);
            List<TrainingBenchmark.Result> results = TrainingBenchmark.run(config, steps, warmupSteps, profile);
            System.out.print(TrainingBenchmark.table(results));
            return 0;
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = {"How step time and peak memory grow along one axis at a time: image tokens (one --model per value, e.g. "
                    + "vco model init --size tiny, tiny-64, tiny-576), response length (every response repeated K times), batch "
                    + "size, and requests per sample (the objective). Every point trains with a cached reference and shared "
                    + "prefixes; the first value of each axis is the shared base point."})
    static final class Scale implements Callable<Integer> {
        @Option(names = "--model", required = true, split = ",", paramLabel = "DIR", description = "Checkpoints, comma-separated.") List<Path> models;
        @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Tuples every objective can train on (e.g. vco world contrast).") Path data;
        @Option(names = "--objective", defaultValue = "s-vco", split = ",", paramLabel = "NAME",
                description = "Objectives, comma-separated (default: ${DEFAULT-VALUE}); sft scores one request per sample, dpo two, s-vco six.") List<String> objectives;
        @Option(names = "--batch-size", defaultValue = "4", split = ",", paramLabel = "N", description = "Batch sizes (default: ${DEFAULT-VALUE}).") List<Integer> batchSizes;
        @Option(names = "--response-repeat", defaultValue = "1", split = ",", paramLabel = "K",
                description = "Response lengths as repeats of each response (default: ${DEFAULT-VALUE}); the longer copy is written beside --data and deleted after.") List<Integer> repeats;
        @Option(names = "--steps", defaultValue = "5", description = "Measured steps per point (default: ${DEFAULT-VALUE}).") int steps;
        @Option(names = "--warmup-steps", defaultValue = "2") int warmupSteps;
        @Option(names = "--full", description = "Full fine-tuning instead of LoRA.") boolean full;
        @Option(names = "--device", defaultValue = "cpu") String device;
        @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16|bf16-mixed") String precision;

        @Override
        public Integer call() throws Exception {
            ScalingBenchmark.Grid grid = new ScalingBenchmark.Grid(models, repeats, batchSizes, objectives);
            TrainConfig config = new TrainConfig();
            config.objective = objectives.get(0);
            config.model = models.get(0);
            config.data = data;
            config.outputDir = Path.of("unused");
            config.finetuning = full ? "full" : "lora";
            config.loraDropout = 0;
            config.device = device;
            config.precision = precision;
            int points = 1 + (models.size() - 1) + (repeats.size() - 1) + (batchSizes.size() - 1) + (objectives.size() - 1);
            int[] done = {0};
            System.err.printf("bench scale: %d point%s, %d measured steps each after %d warm-up steps%n", points, points == 1 ? "" : "s",
                    steps, warmupSteps);
            List<ScalingBenchmark.Point> results = ScalingBenchmark.run(config, grid, steps, warmupSteps,
                    () -> System.err.printf("  point %d of %d measured%n", ++done[0], points));
            System.out.print(ScalingBenchmark.table(results));
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = {"What a checkpoint costs here: load time, resident memory, and forward tokens/s scoring one request",
                    "(a 640x480 image, a prompt and a response). Try real sizes with `vco model init --config`."})
    static final class Load implements Callable<Integer> {
        @Mixin ModelOptions options;
        @Option(names = "--repeats", defaultValue = "3", description = "Timed forward passes (default: ${DEFAULT-VALUE}).") int repeats;
        @Option(names = "--warmup", defaultValue = "1", description = "Untimed forward passes before them (default: ${DEFAULT-VALUE}).") int warmup;

        @Override
        public Integer call() throws Exception {
            System.out.println(LoadBenchmark.run(options.model, options.parameterFactory(), warmup, repeats).report());
            return 0;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "The demo's comparison over several seeds: mean ± std per cell (sample standard deviation).")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--seeds", defaultValue = "3", description = "Number of seeds, 0..K-1 (default: ${DEFAULT-VALUE}).") int seeds;
        @Option(names = "--out", defaultValue = "vco-bench-demo", paramLabel = "DIR") Path out;
        @Option(names = "--quick", description = "Use the quick demo settings for every seed.") boolean quick;

        @Override
        public Integer call() throws Exception {
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be ≥ 1");
            List<Long> list = java.util.stream.LongStream.range(0, seeds).boxed().toList();
            org.vco4j.demo.DemoBenchmark.Result result = org.vco4j.demo.DemoBenchmark.run(out, list, quick);
            System.out.println();
            System.out.print(result.table());
            return 0;
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true,
            description = {"The methods' learning rates and steps chosen on the world's validation scenes: builds the demo's world, "
                    + "base and data once, trains each method from the base at every --lr x --steps, evaluates each run (and the base) "
                    + "on the validation scenes (a second world of the same generator and priors, never trained on and never the "
                    + "demo's test scenes), prints the tables and writes sweep.md.",
                    "Chooses " + org.vco4j.demo.DemoSweep.CRITERION + "."})
    static final class Sweep implements Callable<Integer> {
        @Option(names = "--objective", required = true, split = ",", paramLabel = "NAME",
                description = "The demo's methods, by objective or name, comma-separated, or all: sft, dpo, mdpo, vco, s-vco, ic-vco, jompo, seva.")
        List<String> objectives;
        @Option(names = "--lr", required = true, split = ",", paramLabel = "LR", description = "Learning rates, comma-separated.") List<Double> learningRates;
        @Option(names = "--steps", required = true, split = ",", paramLabel = "N", description = "Optimizer steps, comma-separated.") List<Integer> steps;
        @Mixin Seed random;
        @Option(names = "--quick", description = "The quick demo's world, base and evaluation sizes.") boolean quick;
        @Option(names = "--out", defaultValue = "vco-bench-sweep", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).") Path out;

        @Override
        public Integer call() throws Exception {
            org.vco4j.demo.DemoSettings settings = quick ? org.vco4j.demo.DemoSettings.quick(out, random.seed)
                    : org.vco4j.demo.DemoSettings.full(out, random.seed);
            org.vco4j.demo.DemoSweep.Grid grid = new org.vco4j.demo.DemoSweep.Grid(learningRates, steps);
            org.vco4j.demo.DemoSweep.methods(objectives); // a misspelt name fails before the world is built
            org.vco4j.demo.DemoSweep.Outcome sweep = org.vco4j.demo.DemoSweep.run(settings, objectives, grid);
            for (org.vco4j.demo.DemoSweep.Result result : sweep.methods()) {
                System.out.println();
                System.out.print(result.table());
            }
            System.out.println("table: " + sweep.markdown());
            return 0;
        }
    }

    @Command(name = "ablations", mixinStandardHelpOptions = true,
            description = {"The papers' ablations in miniature over seeds 0..K-1 (long: not part of the demo): S-VCO symmetric vs one-sided "
                    + "VCO vs S-VCO without the no-image pivot (VisDPO) and with attend or reject terms only; S-VCO on contrasts filtered "
                    + "by the base tower's own embedding similarity vs all; IC-VCO with and without VCDist and anchors; JoMPO with and "
                    + "without the ranking and the symmetric term; SeVa at weak, medium and strong diffusion noise.",
                    "Each seed builds the demo's world, base and data; every variant trains with its method's demo settings and is "
                    + "evaluated on the test scenes; prints mean ± std per cell and writes ablations.md and ablations.json."})
    static final class Ablations implements Callable<Integer> {
        @Option(names = "--seeds", defaultValue = "3", description = "Number of seeds, 0..K-1 (default: ${DEFAULT-VALUE}).") int seeds;
        @Option(names = "--quick", description = "The quick demo's sizes for every seed (a smoke run, not a result).") boolean quick;
        @Option(names = "--out", defaultValue = "vco-bench-ablations", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).") Path out;
        @Option(names = "--lr", paramLabel = "LR", description = "Train every variant at this learning rate (with --steps) instead of its method's demo setting.") Double learningRate;
        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps of every variant with --lr (default: 150).") Integer steps;

        @Override
        public Integer call() throws Exception {
            if (steps != null && learningRate == null) throw new IllegalArgumentException("--steps needs --lr (one setting for every variant)");
            org.vco4j.demo.MethodSetting common = learningRate == null ? null
                    : new org.vco4j.demo.MethodSetting(learningRate, steps == null ? 150 : steps);
            org.vco4j.demo.DemoAblations.Result result = org.vco4j.demo.DemoAblations.run(out, seeds, quick, common);
            System.out.println();
            System.out.print(result.table());
            System.out.println("table: " + result.markdown());
            return 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"vco serve under load: N concurrent clients on loopback send streamed chat completions (a picture and a "
                    + "question) for a bounded time, with batching on and then off; requests/s, tokens/s, p50/p99 latency and time "
                    + "to first token, errors, and the on/off ratio."})
    static final class Serving implements Callable<Integer> {
        @Mixin ModelOptions options;
        @Option(names = "--adapter", paramLabel = "DIR", description = "PEFT LoRA adapter folder, merged into the model.") Path adapter;
        @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients (default: ${DEFAULT-VALUE}).") int clients;
        @Option(names = "--seconds", defaultValue = "20", description = "How long each run sends requests (default: ${DEFAULT-VALUE}).") int seconds;
        @Option(names = "--max-tokens", defaultValue = "32", description = "max_tokens of every request (default: ${DEFAULT-VALUE}).") int maxTokens;
        @Option(names = "--max-batch", defaultValue = "8", description = "Batch size of the batching run (default: ${DEFAULT-VALUE}).") int maxBatch;

        @Override
        public Integer call() {
            ServeBenchmark.Settings settings = new ServeBenchmark.Settings(clients, Duration.ofSeconds(seconds), maxTokens, maxBatch);
            System.err.printf("bench serve: %s, %d clients for %d s per run, max_tokens %d, batches of %d vs 1%n",
                    options.model, clients, seconds, maxTokens, maxBatch);
            System.out.print(ServeBenchmark.table(ServeBenchmark.run(options.model, adapter, options.parameterFactory(), settings)));
            return 0;
        }
    }

    @Command(name = "clip-blind", mixinStandardHelpOptions = true,
            description = {"The CLIP-blind search's FLOP/s against this machine's fp32 matrix-product roofline (measured first),",
                    "on random embeddings of N, 2N, 4N, ... images, and how its time grows with N (N² expected)."})
    static final class ClipBlindThroughput implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "8192", description = "The smallest number of images (default: ${DEFAULT-VALUE}).") int n;
        @Option(names = "--sizes", defaultValue = "3", description = "How many sizes, doubling N each time (default: ${DEFAULT-VALUE}).") int sizes;
        @Option(names = "--clip-dim", defaultValue = "768", description = "CLIP width (default: ${DEFAULT-VALUE}, ViT-L/14).") int clipDim;
        @Option(names = "--dino-dim", defaultValue = "1024", description = "DINOv2 width (default: ${DEFAULT-VALUE}, ViT-L/14).") int dinoDim;
        @Option(names = "--block-size", defaultValue = "1024") int blockSize;
        @Option(names = "--top-k", defaultValue = "64") int topK;
        @Option(names = "--roofline-size", defaultValue = "2048", description = "Side of the square products of the roofline (default: ${DEFAULT-VALUE}).") int rooflineSize;
        @Option(names = "--seed", defaultValue = "0") long seed;

        @Override
        public Integer call() {
            ClipBlindSearch.Settings settings = new ClipBlindSearch.Settings(0.95, 0.6, blockSize, topK);
            System.out.print(ClipBlindBenchmark.run(n, sizes, clipDim, dinoDim, settings, rooflineSize, seed).table());
            return 0;
        }
    }
}
