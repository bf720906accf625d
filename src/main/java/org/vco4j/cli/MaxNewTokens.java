package org.vco4j.cli;

import picocli.CommandLine.Option;

/** The answer length limit of the commands that generate text with a model. */
final class MaxNewTokens {
    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;
}
