package org.vco4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.vco4j.common.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP server on loopback playing an OpenAI-compatible chat-completions endpoint at {@code /v1/chat/completions}
 * (the JDK's {@code com.sun.net.httpserver}): each request body goes to a function that gives the status and the
 * reply text (wrapped as {@code choices[0].message.content} on 200, with a fixed {@code usage}, as {@code {"error": {"message"}}} otherwise). It
 * records every request, its Authorization header and the most requests it saw in flight.
 */
public final class LoopbackChatServer implements AutoCloseable {
    /** The usage every 200 reply reports. */
    public static final int PROMPT_TOKENS = 11;
    public static final int COMPLETION_TOKENS = 7;

    /** What the server answers to one request. */
    public record Reply(int status, String text) {
        public static Reply ok(String text) {
            return new Reply(200, text);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    /** Starts the server; every reply waits {@code delayMillis} first, so concurrent requests overlap. */
    public LoopbackChatServer(long delayMillis, Function<JsonNode, Reply> answer) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
                requests.add(body);
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                Thread.sleep(delayMillis);
                Reply reply = answer.apply(body);
                String json = reply.status() == 200
                        ? "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"model\": " + Json.MAPPER.writeValueAsString(body.path("model").asText())
                        + ", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": "
                        + Json.MAPPER.writeValueAsString(reply.text()) + "}, \"finish_reason\": \"stop\"}], "
                        + "\"usage\": {\"prompt_tokens\": " + PROMPT_TOKENS + ", \"completion_tokens\": " + COMPLETION_TOKENS
                        + ", \"total_tokens\": " + (PROMPT_TOKENS + COMPLETION_TOKENS) + "}}"
                        : "{\"error\": {\"message\": " + Json.MAPPER.writeValueAsString(reply.text()) + "}}";
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
    }

    /** The API root to give a client: {@code http://127.0.0.1:PORT/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** The text parts of the last message of a request body, joined by newlines (its content when it is a string). */
    public static String lastText(JsonNode body) {
        JsonNode messages = body.get("messages");
        JsonNode content = messages.get(messages.size() - 1).get("content");
        if (content.isTextual()) return content.asText();
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("type").asText().equals("text")) text.append(text.length() > 0 ? "\n" : "").append(part.get("text").asText());
        }
        return text.toString();
    }

    /** The image URLs of every message of a request body, in order. */
    public static List<String> imageUrls(JsonNode body) {
        List<String> urls = new java.util.ArrayList<>();
        for (JsonNode message : body.get("messages")) {
            JsonNode content = message.get("content");
            if (!content.isArray()) continue;
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("image_url")) urls.add(part.get("image_url").get("url").asText());
            }
        }
        return urls;
    }

    /** The last user message of a request body. */
    public static String lastMessage(JsonNode body) {
        JsonNode messages = body.get("messages");
        return messages.get(messages.size() - 1).get("content").asText();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
