package org.vco4j.cli;

import org.vco4j.train.TrainConfig;
import org.vco4j.train.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code vco bench}: measurements that print ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print speed ratios.",
        subcommands = {BenchCommand.Train.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

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
        @Option(names = "--precision", defaultValue = "fp32") String precision;

        @Override
        public Integer call() throws Exception {
            TrainConfig config = new TrainConfig();
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
            List<TrainingBenchmark.Result> results = TrainingBenchmark.run(config, steps, warmupSteps);
            System.out.print(TrainingBenchmark.table(results));
            return 0;
        }
    }
}
