package org.vco4j.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP side every endpoint client shares: the JDK's {@link HttpClient}, the bearer key, the rate limit and the
 * retries. Rate limits (429), timeouts (408), conflicts (409), server errors (5xx) and network failures are retried
 * with exponential backoff (a Retry-After header in seconds wins); any other HTTP error stops with one line naming
 * the role, the URL, the status and the server's message.
 */
final class EndpointTransport {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final EndpointSettings settings;
    private final Optional<String> apiKey;
    private final HttpClient http;
    private final long intervalNanos;
    private long nextStart;

    EndpointTransport(EndpointSettings settings, Optional<String> apiKey) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        this.intervalNanos = settings.requestsPerSecond() > 0 ? (long) (1e9 / settings.requestsPerSecond()) : 0;
        this.nextStart = System.nanoTime();
    }

    /** The key from the environment variable the settings name; none when it is unset or empty. */
    static Optional<String> keyFromEnvironment(EndpointSettings settings) {
        return Optional.ofNullable(System.getenv(settings.apiKeyVariable())).filter(k -> !k.isBlank());
    }

    /** The body of the endpoint's 200 reply to the request {@code build} makes (called once per attempt). */
    String send(URI endpoint, java.util.function.Supplier<HttpRequest.Builder> build) throws IOException {
        String lastError = "";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Duration wait = backoff(attempt);
            HttpRequest.Builder request = build.get().timeout(settings.timeout());
            apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
            try {
                awaitRate();
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 200) return response.body();
                lastError = "HTTP " + status + ": " + errorMessage(response.body());
                if (!retryable(status)) {
                    String hint = (status == 401 || status == 403) && apiKey.isEmpty()
                            ? " (environment variable " + settings.apiKeyVariable() + " is not set)" : "";
                    throw new IllegalArgumentException(settings.role() + " " + endpoint + ": " + lastError + hint);
                }
                Optional<String> retryAfter = response.headers().firstValue("Retry-After");
                if (retryAfter.isPresent() && retryAfter.get().matches("\\d+")) wait = Duration.ofSeconds(Long.parseLong(retryAfter.get()));
            } catch (ConnectException | HttpTimeoutException e) {
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(settings.role() + ": interrupted", e);
            } catch (IOException e) {
                lastError = e.toString();
            }
            if (attempt < settings.maxAttempts()) sleep(wait.toNanos());
        }
        throw new IOException(settings.role() + " " + endpoint + ": no reply after " + settings.maxAttempts() + " attempts; last: " + lastError);
    }

    /** Waits for this request's slot under the rate limit: starts are at least 1/rate seconds apart. */
    private void awaitRate() throws IOException {
        if (intervalNanos == 0) return;
        long start;
        synchronized (this) {
            start = Math.max(nextStart, System.nanoTime());
            nextStart = start + intervalNanos;
        }
        sleep(start - System.nanoTime());
    }

    private Duration backoff(int attempt) {
        Duration wait = settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    /** OpenAI's {@code {"error": {"message": ...}}}, else the body itself (shortened). */
    private static String errorMessage(String body) {
        try {
            JsonNode message = Json.MAPPER.readTree(body).path("error").path("message");
            if (message.isTextual()) return message.asText();
        } catch (IOException e) {
            // not JSON: show the text
        }
        return abbreviate(body);
    }

    static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private void sleep(long nanos) throws IOException {
        if (nanos <= 0) return;
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(settings.role() + ": interrupted", e);
        }
    }
}
