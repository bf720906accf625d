package org.vco4j.eval.judge;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how the judge is asked.
 *
 * @param baseUrl        an OpenAI-compatible API root; requests go to {@code baseUrl + "/chat/completions"}
 * @param model          the judge model, sent with every request and recorded with the results
 * @param apiKeyVariable the environment variable holding the API key (sent as a bearer token when set; local
 *                       servers that need no key work without it)
 * @param concurrency    requests in flight at most
 * @param maxAttempts    tries per request before giving up (rate limits, server errors, network failures are retried)
 * @param backoff        the wait before the first retry; doubled for each further one (a Retry-After header wins)
 * @param timeout        per request
 * @param cache          the folder of cached replies, one file per request hash
 */
public record JudgeSettings(URI baseUrl, String model, String apiKeyVariable, int concurrency, int maxAttempts, Duration backoff,
                            Duration timeout, Path cache) {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";

    public JudgeSettings {
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("--judge-url " + baseUrl + ": expected an http:// or https:// URL");
        }
        if (model == null || model.isBlank()) throw new IllegalArgumentException("--judge-model must not be empty");
        if (concurrency < 1) throw new IllegalArgumentException("--judge-concurrency must be >= 1, got " + concurrency);
        if (maxAttempts < 1) throw new IllegalArgumentException("--judge-attempts must be >= 1, got " + maxAttempts);
    }
}
