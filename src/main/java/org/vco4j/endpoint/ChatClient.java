package org.vco4j.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * A model behind an OpenAI-compatible chat-completions endpoint ({@code POST {base}/chat/completions}, the reply read
 * from {@code choices[0].message.content}, the tokens from {@code usage}), through the JDK's {@link HttpClient}: the
 * benchmarks' LLM judges, and the planners, verifiers and annotators of {@code vco data}.
 *
 * <p>Every reply is cached on disk under the SHA-256 of the request body (model, messages, temperature), so a rerun
 * asks nothing it has asked before (a cached reply reports the usage of the request that made it). Retries, backoff
 * and the rate limit are {@link EndpointTransport}'s; {@link #completeAll} keeps at most {@code concurrency} requests
 * in flight.
 */
public final class ChatClient {
    /**
     * One reply.
     *
     * @param content the message text
     * @param usage   the tokens the request used
     * @param cached  read from the cache (nothing was asked)
     */
    public record Reply(String content, Usage usage, boolean cached) {}

    private final EndpointSettings settings;
    private final EndpointTransport transport;
    private final URI endpoint;

    ChatClient(EndpointSettings settings, Optional<String> apiKey) {
        this.settings = settings;
        this.transport = new EndpointTransport(settings, apiKey);
        this.endpoint = settings.resolve("/chat/completions");
    }

    /** A client whose key comes from the environment variable the settings name (none when it is unset or empty). */
    public static ChatClient open(EndpointSettings settings) {
        return new ChatClient(settings, EndpointTransport.keyFromEnvironment(settings));
    }

    public EndpointSettings settings() {
        return settings;
    }

    /** The reply to one conversation, from the cache when it was asked before. */
    public String complete(List<ChatMessage> messages, double temperature) throws IOException {
        return complete(messages, temperature, 1.0, 0, null);
    }

    /**
     * The reply to one conversation with OpenAI's sampling settings: {@code top_p} sent when below 1,
     * {@code max_tokens} when positive, {@code seed} when not null; from the cache when it was asked before.
     */
    public String complete(List<ChatMessage> messages, double temperature, double topP, int maxTokens, Long seed) throws IOException {
        return reply(messages, temperature, topP, maxTokens, seed).content();
    }

    /** {@link #complete(List, double, double, int, Long)} with the tokens used and whether the cache answered. */
    public Reply reply(List<ChatMessage> messages, double temperature, double topP, int maxTokens, Long seed) throws IOException {
        byte[] body = requestBody(messages, temperature, topP, maxTokens, seed);
        Path cached = settings.cache() == null ? null : settings.cache().resolve(hash(body) + ".json");
        if (cached != null && Files.isRegularFile(cached)) {
            JsonNode entry = Json.MAPPER.readTree(cached.toFile());
            if (entry.path("reply").isTextual()) return new Reply(entry.get("reply").asText(), Usage.of(entry.get("usage")), true);
        }
        JsonNode answer = parse(transport.send(endpoint, () -> HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))));
        String reply = content(answer);
        Usage usage = Usage.of(answer.get("usage"));
        if (cached != null) {
            ObjectNode entry = Json.MAPPER.createObjectNode();
            entry.set("request", Json.MAPPER.readTree(body));
            entry.put("reply", reply);
            entry.set("usage", usage.toJson());
            AtomicFiles.write(cached, Json.PRETTY.writeValueAsBytes(entry));
        }
        return new Reply(reply, usage, false);
    }

    /** Replies to every conversation, in order, at most {@code concurrency} in flight; {@code done} hears each finish. */
    public List<String> completeAll(List<List<ChatMessage>> conversations, double temperature, IntConsumer done) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, settings.role());
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
            throw new IOException(settings.role() + ": interrupted", e);
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

    private JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(settings.role() + " " + endpoint + ": a reply that is not JSON: " + EndpointTransport.abbreviate(body));
        }
    }

    private String content(JsonNode answer) {
        JsonNode content = answer.path("choices").path(0).path("message").path("content");
        if (content.isTextual()) return content.asText();
        throw new IllegalArgumentException(settings.role() + " " + endpoint + ": a reply without choices[0].message.content: "
                + EndpointTransport.abbreviate(answer.toString()));
    }

    private static String hash(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
