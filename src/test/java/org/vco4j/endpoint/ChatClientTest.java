package org.vco4j.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.LoopbackChatServer;
import org.vco4j.testing.LoopbackChatServer.Reply;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The judge client against a real HTTP server on loopback that plays an OpenAI-compatible endpoint. */
class ChatClientTest {
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    private LoopbackChatServer server;

    /** Replies "echo: <last user message>" after 30 ms, failing first with {@code failureStatus} while failures are left. */
    private URI start() {
        server = new LoopbackChatServer(30, body -> failuresLeft.getAndDecrement() > 0 ? new Reply(failureStatus, "busy, try later")
                : Reply.ok("echo: " + LoopbackChatServer.lastMessage(body)));
        return server.baseUrl();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static EndpointSettings settings(URI url, Path cache, int concurrency) {
        return new EndpointSettings(url, "judge-model-1", "VCO4J_TEST_UNSET_KEY", concurrency, 4, Duration.ofMillis(10), Duration.ofSeconds(10), cache);
    }

    @Test
    void repliesAreCachedByRequestAndARerunAsksNothing(@TempDir Path dir) throws Exception {
        URI url = start();
        ChatClient judge = new ChatClient(settings(url, dir.resolve("cache"), 2), Optional.of("sk-test"));
        List<ChatMessage> conversation = List.of(ChatMessage.system("Answer in yes or no."), ChatMessage.user("Is it red?"));
        assertEquals("echo: Is it red?", judge.complete(conversation, 0.2));
        JsonNode sent = server.requests().get(0);
        assertEquals("judge-model-1", sent.get("model").asText());
        assertEquals(0.2, sent.get("temperature").asDouble());
        assertEquals("system", sent.get("messages").get(0).get("role").asText());
        assertEquals("Bearer sk-test", server.authorizations().get(0));

        ChatClient again = ChatClient.open(settings(url, dir.resolve("cache"), 2));
        assertEquals("echo: Is it red?", again.complete(conversation, 0.2));
        assertEquals(1, server.requests().size(), "the second judge read the cache");
        assertEquals("echo: Is it red?", again.complete(conversation, 0.0));
        assertEquals(2, server.requests().size(), "another temperature is another request");
        assertEquals("null", server.authorizations().get(1), "no key in the environment: no Authorization header");
        try (var files = Files.list(dir.resolve("cache"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedWithBackoff(@TempDir Path dir) throws Exception {
        URI url = start();
        failureStatus = 429;
        failuresLeft.set(2);
        ChatClient judge = new ChatClient(settings(url, dir, 1), Optional.empty());
        assertEquals("echo: q", judge.complete(List.of(ChatMessage.user("q")), 0));
        assertEquals(3, server.requests().size(), "two 429s, then the answer");

        failureStatus = 503;
        failuresLeft.set(10);
        IOException e = assertThrows(IOException.class, () -> judge.complete(List.of(ChatMessage.user("r")), 0));
        assertTrue(e.getMessage().contains("no reply after 4 attempts; last: HTTP 503: busy, try later"), e.getMessage());
    }

    @Test
    void aRefusedRequestStopsAtOnceNamingTheKeyVariable(@TempDir Path dir) {
        URI url = start();
        failureStatus = 401;
        failuresLeft.set(1);
        ChatClient judge = new ChatClient(settings(url, dir, 1), Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> judge.complete(List.of(ChatMessage.user("q")), 0));
        assertEquals("judge " + url + "/chat/completions: HTTP 401: busy, try later (environment variable VCO4J_TEST_UNSET_KEY is not set)",
                e.getMessage());
        assertEquals(1, server.requests().size());
    }

    @Test
    void manyRequestsKeepTheConcurrencyLimitAndTheirOrder(@TempDir Path dir) throws Exception {
        URI url = start();
        ChatClient judge = new ChatClient(settings(url, dir, 3), Optional.empty());
        List<List<ChatMessage>> conversations = new ArrayList<>();
        for (int i = 0; i < 12; i++) conversations.add(List.of(ChatMessage.user("q" + i)));
        AtomicInteger lastDone = new AtomicInteger();
        List<String> replies = judge.completeAll(conversations, 0, lastDone::set);
        for (int i = 0; i < 12; i++) assertEquals("echo: q" + i, replies.get(i));
        assertEquals(12, lastDone.get());
        assertTrue(server.maxInFlight() <= 3, "at most 3 in flight, saw " + server.maxInFlight());
        assertTrue(server.maxInFlight() >= 2, "requests do run side by side, saw " + server.maxInFlight());
    }

    @Test
    void usageIsReadAndTheRateLimitSpacesRequestStarts(@TempDir Path dir) throws Exception {
        URI url = start();
        EndpointSettings limited = new EndpointSettings("planner", url, "m", "VCO4J_TEST_UNSET_KEY", 4, 2, Duration.ofMillis(10),
                Duration.ofSeconds(10), 10, 5, dir.resolve("cache"));
        ChatClient client = new ChatClient(limited, Optional.empty());
        ChatClient.Reply first = client.reply(List.of(ChatMessage.user("u")), 0, 1.0, 5, null);
        assertEquals(new Usage(LoopbackChatServer.PROMPT_TOKENS, LoopbackChatServer.COMPLETION_TOKENS), first.usage());
        assertFalse(first.cached());
        assertEquals(5, server.requests().get(0).get("max_tokens").asInt());
        ChatClient.Reply again = client.reply(List.of(ChatMessage.user("u")), 0, 1.0, 5, null);
        assertTrue(again.cached());
        assertEquals(first.usage(), again.usage(), "a cached reply reports the usage of the request that made it");

        List<List<ChatMessage>> conversations = new ArrayList<>();
        for (int i = 0; i < 4; i++) conversations.add(List.of(ChatMessage.user("r" + i)));
        long start = System.nanoTime();
        client.completeAll(conversations, 0, done -> {});
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 250, "10 requests per second: four starts span at least 300 ms (the first may start at once), took " + millis);
    }
}
