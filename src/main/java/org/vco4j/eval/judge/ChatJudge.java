package org.vco4j.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * An LLM judge behind an OpenAI-compatible chat-completions endpoint ({@code POST {base}/chat/completions}, the
 * reply read from {@code choices[0].message.content}), through the JDK's {@link HttpClient}.
 *
 * <p>Every reply is cached on disk under the SHA-256 of the request body (model, messages, temperature), so a rerun
 * asks nothing it has asked before. Rate limits (429), timeouts (408), conflicts (409), server errors (5xx) and
 * network failures are retried with exponential backoff (a Retry-After header in seconds wins); any other HTTP error
 * stops the run with one line naming the status and the server's message. {@link #completeAll} keeps at most
 * {@code concurrency} requests in flight.
 */
public final class ChatJudge {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final JudgeSettings settings;
    private final Optional<String> apiKey;
    private final HttpClient http;
    private final URI endpoint;

    ChatJudge(JudgeSettings settings, Optional<String> apiKey) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        String base = settings.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
    }

    /** A judge whose key comes from the environment variable the settings name (none when it is unset or empty). */
    public static ChatJudge open(JudgeSettings settings) {
        String key = System.getenv(settings.apiKeyVariable());
        return new ChatJudge(settings, Optional.ofNullable(key).filter(k -> !k.isBlank()));
    }

    public JudgeSettings settings() {
        return settings;
    }

    /** The judge's reply to one conversation, from the cache when it was asked before. */
    public String complete(List<ChatMessage> messages, double temperature) throws IOException {
        return complete(messages, temperature, 1.0, 0, null);
    }

    /**
     * The reply to one conversation with OpenAI's sampling settings: {@code top_p} sent when below 1,
     * {@code max_tokens} when positive, {@code seed} when not null; from the cache when it was asked before.
     */
    public String complete(List<ChatMessage> messages, double temperature, double topP, int maxTokens, Long seed) throws IOException {
        byte[] body = requestBody(messages, temperature, topP, maxTokens, seed);
        Path cached = settings.cache().resolve(hash(body) + ".json");
        if (Files.isRegularFile(cached)) {
            JsonNode entry = Json.MAPPER.readTree(cached.toFile());
            if (entry.path("reply").isTextual()) return entry.get("reply").asText();
        }
        String reply = ask(body);
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.set("request", Json.MAPPER.readTree(body));
        entry.put("reply", reply);
        AtomicFiles.write(cached, Json.PRETTY.writeValueAsBytes(entry));
        return reply;
    }

    /** Replies to every conversation, in order, at most {@code concurrency} in flight; {@code done} hears each finish. */
    public List<String> completeAll(List<List<ChatMessage>> conversations, double temperature, IntConsumer done) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "judge");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>();
            int[] finished = {0};
            for (List<ChatMessage> conversation : conversations) {
                futures.add(pool.submit(() -> {
                    String reply = complete(conversation, temperature);
                    synchronized (finished) {
                        done.accept(++finished[0]);
                    }
                    return reply;
                }));
            }
            List<String> replies = new ArrayList<>();
            for (Future<String> future : futures) replies.add(future.get());
            return replies;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("judge: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private byte[] requestBody(List<ChatMessage> messages, double temperature, double topP, int maxTokens, Long seed)
            throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", settings.model());
        ArrayNode list = body.putArray("messages");
        for (ChatMessage m : messages) {
            ObjectNode message = list.addObject().put("role", m.role());
            if (m.parts().isEmpty()) {
                message.put("content", m.content());
                continue;
            }
            ArrayNode parts = message.putArray("content");
            for (ChatMessage.Part part : m.parts()) {
                ObjectNode node = parts.addObject().put("type", part.type());
                if (part.type().equals("text")) node.put("text", part.value());
                else node.putObject("image_url").put("url", part.value());
            }
        }
        body.put("temperature", temperature);
        if (topP < 1) body.put("top_p", topP);
        if (maxTokens > 0) body.put("max_tokens", maxTokens);
        if (seed != null) body.put("seed", seed);
        return Json.MAPPER.writeValueAsBytes(body);
    }

    private String ask(byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(settings.timeout())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
        String lastError = "";
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Duration wait = backoff(attempt);
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 200) return content(response.body());
                lastError = "HTTP " + status + ": " + errorMessage(response.body());
                if (!retryable(status)) {
                    String hint = (status == 401 || status == 403) && apiKey.isEmpty() ? " (environment variable " + settings.apiKeyVariable() + " is not set)" : "";
                    throw new IllegalArgumentException("judge " + endpoint + ": " + lastError + hint);
                }
                Optional<String> retryAfter = response.headers().firstValue("Retry-After");
                if (retryAfter.isPresent() && retryAfter.get().matches("\\d+")) wait = Duration.ofSeconds(Long.parseLong(retryAfter.get()));
            } catch (ConnectException | HttpTimeoutException e) {
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("judge: interrupted", e);
            } catch (IOException e) {
                lastError = e.toString();
            }
            if (attempt < settings.maxAttempts()) sleep(wait);
        }
        throw new IOException("judge " + endpoint + ": no reply after " + settings.maxAttempts() + " attempts; last: " + lastError);
    }

    private Duration backoff(int attempt) {
        Duration wait = settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private static boolean retryable(int status) {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }

    private String content(String body) {
        try {
            JsonNode content = Json.MAPPER.readTree(body).path("choices").path(0).path("message").path("content");
            if (content.isTextual()) return content.asText();
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalArgumentException("judge " + endpoint + ": a reply without choices[0].message.content: " + abbreviate(body));
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

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static String hash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration wait) throws IOException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("judge: interrupted", e);
        }
    }
}
