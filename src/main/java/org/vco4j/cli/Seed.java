package org.vco4j.cli;

import picocli.CommandLine.Option;

/** The seed of the commands whose random choices (sampling, augmentations, tiny weights, the demo) repeat per seed. */
final class Seed {
    @Option(names = "--seed", defaultValue = "0", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;
}
