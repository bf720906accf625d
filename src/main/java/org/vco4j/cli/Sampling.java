package org.vco4j.cli;

import org.vco4j.model.generation.GenerationConfig;
import picocli.CommandLine.Option;

/** How the commands that generate text pick tokens: greedy by default, sampled with a temperature and a nucleus mass. */
final class Sampling {
    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default); > 0 samples.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    /** The generation settings with this sampling. */
    GenerationConfig config(int maxNewTokens, Seed random) {
        return new GenerationConfig(maxNewTokens, temperature, topP, random.seed);
    }
}
