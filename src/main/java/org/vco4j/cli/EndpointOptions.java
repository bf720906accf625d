package org.vco4j.cli;

import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.EndpointSettings;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** A model behind an OpenAI-compatible chat-completions endpoint (a hosted model, another server, {@code vco serve}). */
final class EndpointOptions {
    @Option(names = "--endpoint", required = true, paramLabel = "URL",
            description = "OpenAI-compatible API root of the model to evaluate, e.g. http://127.0.0.1:8000/v1 for vco serve.")
    String url;

    @Option(names = "--endpoint-model", required = true, paramLabel = "NAME", description = "The model name the endpoint serves.")
    String model;

    @Option(names = "--endpoint-key-env", defaultValue = EndpointSettings.DEFAULT_KEY_VARIABLE, paramLabel = "VARIABLE",
            description = "Environment variable holding the endpoint's API key (default: ${DEFAULT-VALUE}; unset: no key is sent).")
    String keyVariable;

    /** The endpoint's client; its replies are cached under {@code out/endpoint-cache}. */
    ChatClient open(Path out) {
        return ChatClient.open(new EndpointSettings("endpoint", apiRoot("--endpoint", url), model, keyVariable, 1, 6, Duration.ofSeconds(2), Duration.ofSeconds(600),
                0, 0, out.resolve("endpoint-cache")));
    }

    /** The API root given to {@code option}; a malformed one is one line naming the option. */
    static URI apiRoot(String option, String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + url + ": not a URL");
        }
    }
}
