package org.vco4j.cli;

import org.vco4j.score.ScoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vco score}: {@link ScoreJob} from the command line. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Summed log-probability of each response given its images and prompt.",
                "Input JSONL lines: {\"id\", \"images\": [paths relative to the file], \"prompt\", \"response\", "
                        + "\"mask\": [[start, end], ...]} (images and mask optional).",
                "Output JSONL lines: {\"id\", \"images\", \"prompt\", \"response\", \"logp\", \"tokens\"}."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Requests to score.")
    Path data;

    @Option(names = "--out", paramLabel = "FILE", description = "Write results here (atomically) instead of standard output.")
    Path out;

    @Option(names = "--emit-ids", description = "Also write input_ids and the positions of the counted response tokens.")
    boolean emitIds;

    @Option(names = "--batch-size", defaultValue = "8", description = "Requests per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--no-prefix-sharing", description = "Recompute images and prompt for every request.")
    boolean noPrefixSharing;

    @Override
    public Integer call() throws IOException {
        ScoreJob.Settings settings = new ScoreJob.Settings(batchSize, !noPrefixSharing, emitIds);
        ScoreJob.run(options.model, options.parameterFactory(), data, out, settings);
        return 0;
    }
}
