package org.vco4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vco4j.common.Folders;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/** The real server on loopback with a tiny checkpoint, spoken to over HTTP as a client would. */
class ChatServerTest {
    static final String KEY = "test-key";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static PretrainedVlm vlm;
    static ChatServer server;
    static Path folder;
    static Path imageRoot;
    static Path outside;

    @BeforeAll
    static void start() throws IOException {
        vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
        folder = Files.createTempDirectory("vco-serve-test-");
        imageRoot = Files.createDirectories(folder.resolve("images"));
        Files.copy(TinyWorld.redCircle(), imageRoot.resolve("red.png"));
        outside = Files.copy(TinyWorld.blueSquare(), folder.resolve("secret.png"));
        Files.createSymbolicLink(imageRoot.resolve("link.png"), outside);
        server = start(ServeSettings.of("127.0.0.1", 0, imageRoot, KEY, 4, 8));
    }

    static ChatServer start(ServeSettings settings) {
        return new ChatServer(vlm.model(), vlm.processor(), "tiny", settings).start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
        vlm.close();
        Folders.deleteRecursively(folder);
    }

    @Test
    void answersInOpenAisShapeWhatTheGeneratorAnswers() throws Exception {
        ObjectNode body = request(8, imagePart(dataUrl(TinyWorld.redCircle())), textPart("Describe the image."));
        body.put("temperature", 0);
        HttpResponse<String> response = post(server, body, KEY);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode json = Json.MAPPER.readTree(response.body());
        assertTrue(json.path("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", json.path("object").asText());
        assertTrue(json.path("created").isIntegralNumber());
        assertEquals("tiny", json.path("model").asText());
        JsonNode choice = json.path("choices").get(0);
        assertEquals(0, choice.path("index").asInt());
        assertEquals("assistant", choice.path("message").path("role").asText());

        Context condition = new Context(List.of(TinyWorld.redCircle()), "<image>\nDescribe the image.");
        Generator.Generation expected;
        try (PointerScope scope = new PointerScope()) {
            expected = new Generator(vlm.model(), vlm.processor()).generate(condition, GenerationConfig.greedy(8));
        }
        assertEquals(expected.text(), choice.path("message").path("content").asText());
        assertEquals(expected.ids().length == 8 ? "length" : "stop", choice.path("finish_reason").asText());
        JsonNode usage = json.path("usage");
        assertEquals(vlm.processor().promptIds(condition).length, usage.path("prompt_tokens").asInt());
        assertEquals(expected.ids().length, usage.path("completion_tokens").asInt());
        assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(), usage.path("total_tokens").asInt());
    }

    @Test
    void qwen2VlAnswersWithItsVisionTokensAsTheGeneratorDoes() throws Exception {
        Path tiny = folder.resolve("qwen2-vl");
        var init = org.vco4j.testing.Cli.vco("model", "init", "--family", "qwen2-vl", "--size", "tiny", "--seed", "2", "--out", tiny.toString());
        assertEquals(0, init.exitCode(), init.err());
        try (PretrainedVlm qwen = PretrainedVlm.load(tiny, ParameterFactory.cpuFloat32());
             ChatServer qwenServer = new ChatServer(qwen.model(), qwen.processor(), "tiny",
                     ServeSettings.of("127.0.0.1", 0, imageRoot, KEY, 2, 4)).start()) {
            ObjectNode body = request(6, imagePart(dataUrl(TinyWorld.redCircle())), textPart("Describe the image."));
            body.put("temperature", 0);
            HttpResponse<String> response = post(qwenServer, body, KEY);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode json = Json.MAPPER.readTree(response.body());
            // The template renders the image part as <|vision_start|><|image_pad|><|vision_end|>, the text right after it.
            Context condition = new Context(List.of(TinyWorld.redCircle()), "<image>Describe the image.");
            Generator.Generation expected;
            try (PointerScope scope = new PointerScope()) {
                expected = new Generator(qwen.model(), qwen.processor()).generate(condition, GenerationConfig.greedy(6));
            }
            assertEquals(expected.text(), json.path("choices").get(0).path("message").path("content").asText());
            assertEquals(qwen.processor().promptIds(condition).length, json.path("usage").path("prompt_tokens").asInt());
        }
    }

    @Test
    void theModelsTemplateRendersTheWholeConversation() throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", "tiny").put("max_tokens", 3).put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "developer").put("content", "Be brief.");
        messages.addObject().put("role", "user").put("content", "Hi");
        messages.addObject().put("role", "assistant").put("content", "Hello");
        messages.addObject().put("role", "user").set("content", Json.MAPPER.createArrayNode().add(textPart("Again")));
        JsonNode json = Json.MAPPER.readTree(post(server, body, KEY).body());
        // LLaVA-1.5's template: a system turn without a role prefix, then "ROLE: text " per turn, then "ASSISTANT:".
        String rendered = "Be brief. USER: Hi ASSISTANT: Hello USER: Again ASSISTANT:";
        assertEquals(vlm.tokenizer().encode(rendered, true).length, json.path("usage").path("prompt_tokens").asInt(), json.toString());
    }

    @Test
    void streamedDeltasMakeTheNonStreamedAnswer() throws Exception {
        ObjectNode body = request(24, imagePart(dataUrl(TinyWorld.blueSquare())), textPart("What is it?"));
        body.put("temperature", 1.3).put("top_p", 0.95).put("seed", 17);
        JsonNode plain = Json.MAPPER.readTree(post(server, body, KEY).body());
        body.put("stream", true).putObject("stream_options").put("include_usage", true);
        HttpResponse<String> response = post(server, body, KEY);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = sseData(response.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) chunks.add(Json.MAPPER.readTree(e));
        assertEquals("assistant", chunks.get(0).path("choices").get(0).path("delta").path("role").asText());
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (JsonNode chunk : chunks) {
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertEquals(chunks.get(0).path("id"), chunk.path("id"));
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
                if (!choice.path("finish_reason").isNull()) finish = choice.path("finish_reason").asText();
            }
        }
        JsonNode plainChoice = plain.path("choices").get(0);
        assertFalse(plainChoice.path("message").path("content").asText().isEmpty());
        assertEquals(plainChoice.path("message").path("content").asText(), text.toString());
        assertEquals(plainChoice.path("finish_reason").asText(), finish);
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertEquals(0, usageChunk.path("choices").size());
        assertEquals(plain.path("usage"), usageChunk.path("usage"));
    }

    @Test
    void stopStringsEndTheAnswerBeforeThem() throws Exception {
        ObjectNode body = request(24, textPart("Say something."));
        body.put("temperature", 0);
        String full = Json.MAPPER.readTree(post(server, body, KEY).body()).path("choices").get(0).path("message").path("content").asText();
        assertTrue(full.length() > 4, full);
        String stop = full.substring(2, 4);
        body.putArray("stop").add("zzzz-not-there").add(stop);
        JsonNode stopped = Json.MAPPER.readTree(post(server, body, KEY).body()).path("choices").get(0);
        assertEquals(full.substring(0, full.indexOf(stop)), stopped.path("message").path("content").asText());
        assertEquals("stop", stopped.path("finish_reason").asText());
    }

    @Test
    void theApiKeyIsRequiredButNotForHealth() throws Exception {
        ObjectNode body = request(2, textPart("Hi"));
        for (String key : new String[] {null, "wrong"}) {
            HttpResponse<String> response = post(server, body, key);
            assertEquals(401, response.statusCode());
            assertError(response, "invalid_request_error", null, "invalid_api_key");
        }
        assertEquals(401, get(server, "/v1/models", null).statusCode());
        HttpResponse<String> models = get(server, "/v1/models", KEY);
        assertEquals(200, models.statusCode());
        JsonNode list = Json.MAPPER.readTree(models.body());
        assertEquals("list", list.path("object").asText());
        assertEquals("tiny", list.path("data").get(0).path("id").asText());
        HttpResponse<String> health = get(server, "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("ok", Json.MAPPER.readTree(health.body()).path("status").asText());
    }

    @Test
    void badRequestsAre4xxInOpenAisErrorShape() throws Exception {
        assertError(postRaw(server, "{not json", KEY), 400, "invalid_request_error", null, null);
        assertError(postRaw(server, "{\"model\":\"tiny\"}", KEY), 400, "invalid_request_error", "messages", null);
        assertBad(b -> b.put("n", 2), 400, "n", null);
        assertBad(b -> b.put("temperature", 3), 400, "temperature", null);
        assertBad(b -> b.put("max_tokens", 0), 400, "max_tokens", null);
        assertBad(b -> b.put("stop", 5), 400, "stop", null);
        assertBad(b -> b.put("model", "gpt-4o"), 404, "model", "model_not_found");
        assertBad(b -> b.put("max_completion_tokens", vlm.model().maxPositions()), 400, "messages", "context_length_exceeded");
        assertBad(b -> b.putArray("tools").addObject(), 400, "tools", null);
        assertBad(b -> b.putObject("logit_bias").put("42", 100), 400, "logit_bias", null);
        assertBad(b -> b.put("frequency_penalty", 0.5), 400, "frequency_penalty", null);
        assertBad(b -> message(b).put("role", "tool"), 400, "messages[0].role", null);
        assertBad(b -> parts(b).addObject().put("type", "input_audio"), 400, "messages[0].content[1].type", null);
        assertBad(b -> parts(b).add(textPart("<image> sneaked in")), 400, "messages[0].content[1]", null);
        assertBad(b -> parts(b).add(imagePart("https://example.com/cat.png")), 400, "messages[0].content[1].image_url", null);
        assertBad(b -> parts(b).add(imagePart("data:image/png;base64,@@@")), 400, "messages[0].content[1].image_url", null);
        assertBad(b -> parts(b).add(imagePart("data:image/png;base64,"
                + Base64.getEncoder().encodeToString("not a png".getBytes()))), 400, "messages[0].content[1].image_url", null);
        // A truncated picture passes the header check and fails when its pixels are decoded, streamed or not.
        byte[] png = Files.readAllBytes(TinyWorld.redCircle());
        String truncated = "data:image/png;base64," + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(png, png.length / 2));
        for (boolean stream : new boolean[] {false, true}) {
            ObjectNode body = request(4, imagePart(truncated), textPart("Hi"));
            body.put("stream", stream);
            HttpResponse<String> response = post(server, body, KEY);
            assertError(response, 400, "invalid_request_error", "messages", null);
            assertFalse(response.body().contains("vco-serve-"), "no server path in " + response.body());
        }
        HttpResponse<String> unknown = get(server, "/v1/nothing-here", KEY);
        assertEquals(404, unknown.statusCode());
        assertTrue(Json.MAPPER.readTree(unknown.body()).path("error").has("message"), unknown.body());
    }

    @Test
    void limitsOnBodyAndImagesAreEnforced() throws Exception {
        try (ChatServer small = start(ServeSettings.of("127.0.0.1", 0, null, null, 2, 2).withLimits(4096, 1 << 20, 100))) {
            HttpResponse<String> tooBig = postRaw(small, "{\"model\":\"tiny\",\"pad\":\"" + "x".repeat(5000) + "\"}", null);
            assertEquals(413, tooBig.statusCode());
            assertTrue(Json.MAPPER.readTree(tooBig.body()).path("error").has("message"), tooBig.body());
            HttpResponse<String> manyPixels = post(small, request(2, imagePart(dataUrl(TinyWorld.redCircle()))), null);
            assertError(manyPixels, 400, "invalid_request_error", "messages[0].content[0].image_url", null);
            assertTrue(manyPixels.body().contains("48x40"), manyPixels.body());
            HttpResponse<String> noRoot = post(small, request(2, imagePart("red.png")), null);
            assertError(noRoot, 403, "permission_error", "messages[0].content[0].image_url", "image_outside_root");
        }
    }

    @Test
    void filesAreReadOnlyUnderTheImageRoot() throws Exception {
        for (String inside : List.of("red.png", imageRoot.resolve("red.png").toString(), imageRoot.resolve("red.png").toUri().toString(),
                "sub/../red.png")) {
            HttpResponse<String> response = post(server, request(2, imagePart(inside), textPart("Colour?")), KEY);
            assertEquals(200, response.statusCode(), inside + ": " + response.body());
        }
        for (String escape : List.of("../secret.png", outside.toString(), outside.toUri().toString(), "link.png",
                "images/../../secret.png", "/etc/passwd")) {
            HttpResponse<String> response = post(server, request(2, imagePart(escape), textPart("Colour?")), KEY);
            assertError(response, 403, "permission_error", "messages[0].content[0].image_url", "image_outside_root");
            assertFalse(response.body().contains("PNG"), "nothing about the file may leak: " + response.body());
        }
        assertError(post(server, request(2, imagePart("missing.png")), KEY), 400, "invalid_request_error",
                "messages[0].content[0].image_url", null);
    }

    @Test
    void concurrentRequestsAreBatchedAndAnsweredAsAlone() throws Exception {
        List<ObjectNode> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ObjectNode body = i % 2 == 0 ? request(6 + i, imagePart(dataUrl(TinyWorld.redCircle())), textPart("Picture " + i + "?"))
                    : request(6 + i, textPart("Question number " + i + ", a longer one than the others."));
            bodies.add(body.put("temperature", i < 3 ? 0 : 0.8).put("seed", i));
        }
        List<String> alone = new ArrayList<>();
        for (ObjectNode body : bodies) alone.add(content(post(server, body, KEY)));
        List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
        for (ObjectNode body : bodies) together.add(HTTP.sendAsync(chatRequest(server, body.toString(), KEY), HttpResponse.BodyHandlers.ofString()));
        for (int i = 0; i < bodies.size(); i++) assertEquals(alone.get(i), content(together.get(i).get()), "request " + i);
    }

    @Test
    void aFullQueueAnswers429() throws Exception {
        try (ChatServer busy = start(ServeSettings.of("127.0.0.1", 0, null, null, 1, 1))) {
            ObjectNode body = request(60, textPart("Tell me a long story."));
            body.put("temperature", 0); // greedy: the tiny model does not end this answer early
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) sent.add(HTTP.sendAsync(chatRequest(busy, body.toString(), null), HttpResponse.BodyHandlers.ofString()));
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> s : sent) {
                HttpResponse<String> response = s.get();
                if (response.statusCode() == 429) {
                    refused++;
                    assertError(response, "rate_limit_error", null, "queue_full");
                } else {
                    assertEquals(200, response.statusCode(), response.body());
                    assertEquals(60, Json.MAPPER.readTree(response.body()).path("usage").path("completion_tokens").asInt());
                    ok++;
                }
            }
            assertTrue(refused > 0, "no request was refused");
            // One runs and one may wait (two may wait for a moment, if they come before the engine takes the first).
            assertTrue(ok >= 1, "none answered");
        }
    }

    @Test
    void closingAnswersTheRequestsInFlightThenRefusesConnections() throws Exception {
        ChatServer closing = start(ServeSettings.of("127.0.0.1", 0, null, null, 2, 4));
        ObjectNode body = request(60, textPart("Tell me a long story."));
        body.put("temperature", 0);
        CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(chatRequest(closing, body.toString(), null),
                HttpResponse.BodyHandlers.ofString());
        for (int i = 0; i < 500 && Json.MAPPER.readTree(get(closing, "/health", null).body()).path("running").asInt() == 0; i++) {
            Thread.sleep(5);
        }
        URI health = uri(closing, "/health");
        closing.close();
        HttpResponse<String> answered = inFlight.get();
        assertEquals(200, answered.statusCode(), answered.body());
        assertEquals(60, Json.MAPPER.readTree(answered.body()).path("usage").path("completion_tokens").asInt(), "answered in full");
        assertThrows(ConnectException.class, () -> HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()));
    }

    // ---- helpers ----

    static ObjectNode request(int maxTokens, ObjectNode... parts) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", "tiny");
        body.put("max_tokens", maxTokens);
        ObjectNode message = body.putArray("messages").addObject();
        message.put("role", "user");
        ArrayNode content = message.putArray("content");
        for (ObjectNode part : parts) content.add(part);
        return body;
    }

    static ObjectNode textPart(String text) {
        return Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
    }

    static ObjectNode imagePart(String url) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    static String dataUrl(Path png) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
    }

    private static ObjectNode message(ObjectNode body) {
        return (ObjectNode) body.path("messages").get(0);
    }

    private static ArrayNode parts(ObjectNode body) {
        return (ArrayNode) message(body).path("content");
    }

    private static void assertBad(Consumer<ObjectNode> change, int status, String param, String code) throws Exception {
        ObjectNode body = request(4, textPart("Hi"));
        change.accept(body);
        assertError(post(server, body, KEY), status, "invalid_request_error", param, code);
    }

    private static void assertError(HttpResponse<String> response, int status, String type, String param, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertError(response, type, param, code);
    }

    private static void assertError(HttpResponse<String> response, String type, String param, String code) throws IOException {
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(), response.body());
        assertEquals(type, error.path("type").asText(), response.body());
        for (String field : List.of("param", "code")) assertTrue(error.has(field), response.body());
        if (param == null) assertTrue(error.path("param").isNull(), response.body());
        else assertEquals(param, error.path("param").asText(), response.body());
        if (code != null) assertEquals(code, error.path("code").asText(), response.body());
    }

    static String content(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body()).path("choices").get(0).path("message").path("content").asText();
    }

    /** The data fields of a server-sent event stream, in order. */
    static List<String> sseData(String stream) {
        List<String> data = new ArrayList<>();
        for (String event : stream.split("\n\n")) {
            if (event.isBlank()) continue;
            assertTrue(event.startsWith("data: "), event);
            data.add(event.substring("data: ".length()));
        }
        return data;
    }

    static HttpResponse<String> post(ChatServer target, ObjectNode body, String key) throws IOException, InterruptedException {
        return postRaw(target, body.toString(), key);
    }

    static HttpResponse<String> postRaw(ChatServer target, String body, String key) throws IOException, InterruptedException {
        return HTTP.send(chatRequest(target, body, key), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest chatRequest(ChatServer target, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return request.build();
    }

    static HttpResponse<String> get(ChatServer target, String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, path)).GET();
        if (key != null) request.header("Authorization", "Bearer " + key);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(ChatServer target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }
}
