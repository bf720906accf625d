package org.vco4j.cli;

import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.EndpointSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The LLM judge's options, for the benchmarks graded by one (MMHal-Bench, MMVP's GPT grader). */
final class JudgeOptions {
    @Option(names = "--judge-url", defaultValue = EndpointSettings.DEFAULT_BASE_URL, paramLabel = "URL",
            description = "OpenAI-compatible API root; requests go to URL/chat/completions (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--judge-model", defaultValue = "gpt-4-0314", description = "Judge model (default: ${DEFAULT-VALUE}, the papers' judge).")
    String model;

    @Option(names = "--judge-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
            description = "Environment variable holding the API key (default: ${DEFAULT-VALUE}; unset: no key is sent).")
    String keyVariable;

    @Option(names = "--judge-concurrency", defaultValue = "4", description = "Judge requests in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--judge-attempts", defaultValue = "6", description = "Tries per judge request (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--judge-cache", paramLabel = "DIR", description = "Cache of judge replies (default: OUT/judge-cache).")
    Path cache;

    ChatClient open(Path out) {
        return ChatClient.open(new EndpointSettings(EndpointOptions.apiRoot("--judge-url", url), model, keyVariable, concurrency, attempts, Duration.ofSeconds(2),
                Duration.ofSeconds(120), cache != null ? cache : out.resolve("judge-cache")));
    }
}
