package org.vco4j.cli;

import org.vco4j.endpoint.EndpointSettings;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** How {@code vco data}'s endpoint pipelines ask their endpoints: concurrency, rate, retries, timeouts. */
final class PipelineOptions {
    @Option(names = "--concurrency", defaultValue = "4", description = "Records in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PER_SECOND",
            description = "Requests started per second at most, per endpoint; 0 for no limit (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--attempts", defaultValue = "6",
            description = "Tries per HTTP request on rate limits, server errors and network failures, with exponential backoff (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--answer-attempts", defaultValue = "3",
            description = "Tries for a valid JSON answer before the record fails at that stage (default: ${DEFAULT-VALUE}).")
    int answerAttempts;

    @Option(names = "--max-tokens", defaultValue = "1024",
            description = "max_tokens of every chat request; 0 to send none (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS", description = "Per request (default: ${DEFAULT-VALUE}).")
    int timeout;

    /** The settings of one endpoint; chat replies are cached under {@code OUT.partial/cache/ROLE} while the run lasts. */
    EndpointSettings settings(String role, String url, String model, String keyVariable, Path out, boolean cache) {
        URI base = EndpointOptions.apiRoot("--" + role, url);
        Path partial = out.toAbsolutePath().normalize().resolveSibling(out.getFileName() + ".partial");
        return new EndpointSettings(role, base, model, keyVariable, concurrency, attempts, Duration.ofSeconds(2),
                Duration.ofSeconds(timeout), rate, maxTokens, cache ? partial.resolve("cache").resolve(role) : null);
    }
}
