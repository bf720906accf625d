package org.vco4j.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The judge client against a real HTTP server on loopback that plays an OpenAI-compatible endpoint. */
class ChatJudgeTest {
    private HttpServer server;
    private final ConcurrentLinkedQueue<JsonNode> requests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile int failureStatus = 503;

    /** Replies "echo: <last user message>" after 30 ms, failing first with {@code failureStatus} while failures are left. */
    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/v1/chat/completions", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                JsonNode body = Json.MAPPER.readTree(exchange.getRequestBody());
                requests.add(body);
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                Thread.sleep(30);
                byte[] reply;
                int status;
                if (failuresLeft.getAndDecrement() > 0) {
                    status = failureStatus;
                    reply = "{\"error\": {\"message\": \"busy, try later\"}}".getBytes(StandardCharsets.UTF_8);
                } else {
                    status = 200;
                    JsonNode messages = body.get("messages");
                    String last = messages.get(messages.size() - 1).get("content").asText();
                    reply = ("{\"id\": \"x\", \"object\": \"chat.completion\", \"model\": \"" + body.get("model").asText()
                            + "\", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": "
                            + Json.MAPPER.writeValueAsString("echo: " + last) + "}, \"finish_reason\": \"stop\"}]}").getBytes(StandardCharsets.UTF_8);
                }
                exchange.sendResponseHeaders(status, reply.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private static JudgeSettings settings(URI url, Path cache, int concurrency) {
        return new JudgeSettings(url, "judge-model-1", "VCO4J_TEST_UNSET_KEY", concurrency, 4, Duration.ofMillis(10), Duration.ofSeconds(10), cache);
    }

    @Test
    void repliesAreCachedByRequestAndARerunAsksNothing(@TempDir Path dir) throws Exception {
        URI url = start();
        ChatJudge judge = new ChatJudge(settings(url, dir.resolve("cache"), 2), Optional.of("sk-test"));
        List<ChatMessage> conversation = List.of(ChatMessage.system("Answer in yes or no."), ChatMessage.user("Is it red?"));
        assertEquals("echo: Is it red?", judge.complete(conversation, 0.2));
        JsonNode sent = requests.peek();
        assertEquals("judge-model-1", sent.get("model").asText());
        assertEquals(0.2, sent.get("temperature").asDouble());
        assertEquals("system", sent.get("messages").get(0).get("role").asText());
        assertEquals("Bearer sk-test", authorizations.peek());

        ChatJudge again = ChatJudge.open(settings(url, dir.resolve("cache"), 2));
        assertEquals("echo: Is it red?", again.complete(conversation, 0.2));
        assertEquals(1, requests.size(), "the second judge read the cache");
        assertEquals("echo: Is it red?", again.complete(conversation, 0.0).strip());
        assertEquals(2, requests.size(), "another temperature is another request");
        assertEquals("null", new ArrayList<>(authorizations).get(1), "no key in the environment: no Authorization header");
        try (var files = Files.list(dir.resolve("cache"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedWithBackoff(@TempDir Path dir) throws Exception {
        URI url = start();
        failureStatus = 429;
        failuresLeft.set(2);
        ChatJudge judge = new ChatJudge(settings(url, dir, 1), Optional.empty());
        assertEquals("echo: q", judge.complete(List.of(ChatMessage.user("q")), 0));
        assertEquals(3, requests.size(), "two 429s, then the answer");

        failureStatus = 503;
        failuresLeft.set(10);
        IOException e = assertThrows(IOException.class, () -> judge.complete(List.of(ChatMessage.user("r")), 0));
        assertTrue(e.getMessage().contains("no reply after 4 attempts; last: HTTP 503: busy, try later"), e.getMessage());
    }

    @Test
    void aRefusedRequestStopsAtOnceNamingTheKeyVariable(@TempDir Path dir) throws Exception {
        URI url = start();
        failureStatus = 401;
        failuresLeft.set(1);
        ChatJudge judge = new ChatJudge(settings(url, dir, 1), Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> judge.complete(List.of(ChatMessage.user("q")), 0));
        assertEquals("judge " + url + "/chat/completions: HTTP 401: busy, try later (environment variable VCO4J_TEST_UNSET_KEY is not set)",
                e.getMessage());
        assertEquals(1, requests.size());
    }

    @Test
    void manyRequestsKeepTheConcurrencyLimitAndTheirOrder(@TempDir Path dir) throws Exception {
        URI url = start();
        ChatJudge judge = new ChatJudge(settings(url, dir, 3), Optional.empty());
        List<List<ChatMessage>> conversations = new ArrayList<>();
        for (int i = 0; i < 12; i++) conversations.add(List.of(ChatMessage.user("q" + i)));
        AtomicInteger lastDone = new AtomicInteger();
        List<String> replies = judge.completeAll(conversations, 0, lastDone::set);
        for (int i = 0; i < 12; i++) assertEquals("echo: q" + i, replies.get(i));
        assertEquals(12, lastDone.get());
        assertTrue(maxInFlight.get() <= 3, "at most 3 in flight, saw " + maxInFlight.get());
        assertTrue(maxInFlight.get() >= 2, "requests do run side by side, saw " + maxInFlight.get());
    }
}
