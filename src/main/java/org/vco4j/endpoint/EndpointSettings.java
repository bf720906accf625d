package org.vco4j.endpoint;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how an OpenAI-compatible endpoint is asked (a judge, a planner, an image editor, a verifier).
 *
 * @param role              what the endpoint does here ("judge", "planner", "editor", ...): names it in every message
 * @param baseUrl           an OpenAI-compatible API root; requests go to {@code baseUrl + "/chat/completions"} or
 *                          {@code baseUrl + "/images/edits"}
 * @param model             the model, sent with every request and recorded with the results
 * @param apiKeyVariable    the environment variable holding the API key (sent as a bearer token when set; local
 *                          servers that need no key work without it)
 * @param concurrency       requests in flight at most
 * @param maxAttempts       tries per request before giving up (rate limits, server errors, network failures are retried)
 * @param backoff           the wait before the first retry; doubled for each further one (a Retry-After header wins)
 * @param timeout           per request
 * @param requestsPerSecond requests started per second at most, over all threads; 0 for no limit
 * @param maxTokens         {@code max_tokens} for the chat requests of {@code vco data}'s pipelines; 0 to send none
 * @param cache             the folder of cached chat replies, one file per request hash; null for none
 */
public record EndpointSettings(String role, URI baseUrl, String model, String apiKeyVariable, int concurrency, int maxAttempts,
                               Duration backoff, Duration timeout, double requestsPerSecond, int maxTokens, Path cache) {
    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_KEY_VARIABLE = "OPENAI_API_KEY";

    public EndpointSettings {
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException(option(role, "url") + " " + baseUrl + ": expected an http:// or https:// URL");
        }
        if (model == null || model.isBlank()) throw new IllegalArgumentException("--" + role + "-model must not be empty");
        if (concurrency < 1) throw new IllegalArgumentException(option(role, "concurrency") + " must be >= 1, got " + concurrency);
        if (maxAttempts < 1) throw new IllegalArgumentException(option(role, "attempts") + " must be >= 1, got " + maxAttempts);
        if (maxTokens < 0) throw new IllegalArgumentException("--max-tokens must be >= 0, got " + maxTokens);
        if (!(requestsPerSecond >= 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("--rate must be a finite number >= 0, got " + requestsPerSecond);
        }
    }

    /** A judge's settings: no rate limit. */
    public EndpointSettings(URI baseUrl, String model, String apiKeyVariable, int concurrency, int maxAttempts, Duration backoff,
                            Duration timeout, Path cache) {
        this("judge", baseUrl, model, apiKeyVariable, concurrency, maxAttempts, backoff, timeout, 0, 0, cache);
    }

    /**
     * The command-line option behind a setting: the judge's are {@code --judge-url}, {@code --judge-concurrency}, ...;
     * a data pipeline names an endpoint by {@code --ROLE URL} and shares {@code --concurrency} and {@code --attempts}.
     */
    private static String option(String role, String setting) {
        if (role.equals("judge")) return "--judge-" + setting;
        return setting.equals("url") ? "--" + role : "--" + setting;
    }

    /** The endpoint {@code path} (such as {@code "/chat/completions"}) under the API root. */
    public URI resolve(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
