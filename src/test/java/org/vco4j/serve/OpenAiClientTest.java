package org.vco4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.testing.TinyWorld;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The official {@code openai} npm client (pinned in src/test/node, installed there by {@code npm ci}, which .ci/run
 * does before the tests when node 20 or newer is there) runs src/test/node/openai-client.mjs against the real server.
 * When .ci/run installed the client ({@code VCO_OPENAI_CLIENT=required}) a missing or failing client is a failure;
 * elsewhere the test is skipped with a note saying how to install it.
 */
class OpenAiClientTest {
    static final Path NODE_PROJECT = Path.of("src/test/node");

    @Test
    void theOfficialClientTalksToTheServer() throws Exception {
        requireClient(Files.isDirectory(NODE_PROJECT.resolve("node_modules/openai")),
                "the openai npm client is not installed: run 'npm ci' in " + NODE_PROJECT + " (.ci/run does)");
        try (PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
             ChatServer server = new ChatServer(vlm.model(), vlm.processor(), "tiny",
                     ServeSettings.of("127.0.0.1", 0, null, "node-key", 4, 8)).start()) {
            String baseUrl = "http://127.0.0.1:" + server.port() + "/v1";
            Process node;
            try {
                node = new ProcessBuilder("node", "openai-client.mjs", baseUrl, "node-key", "tiny",
                        TinyWorld.redCircle().toString()).directory(NODE_PROJECT.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                requireClient(false, "node is not on the PATH: " + e.getMessage());
                return;
            }
            assertTrue(node.waitFor(90, TimeUnit.SECONDS), "the node client did not finish in 90 s");
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, node.exitValue(), output);
            JsonNode seen = Json.MAPPER.readTree(output.lines().reduce((a, b) -> b).orElseThrow());

            // The same request from Java: the client saw exactly what the server answers.
            ObjectNode body = ChatServerTest.request(16, ChatServerTest.imagePart(ChatServerTest.dataUrl(TinyWorld.redCircle())),
                    ChatServerTest.textPart("What is in the picture?"));
            body.withArray("messages").insertObject(0).put("role", "system").put("content", "Answer briefly.");
            body.put("temperature", 0.8).put("top_p", 0.95).put("seed", 7);
            var response = ChatServerTest.HTTP.send(ChatServerTest.chatRequest(server, body.toString(), "node-key"),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            JsonNode direct = Json.MAPPER.readTree(response.body());
            assertEquals(direct.path("choices").get(0).path("message").path("content").asText(), seen.path("content").asText());
            assertEquals(direct.path("usage"), seen.path("usage"));
            for (String field : List.of("prompt_tokens", "completion_tokens")) assertTrue(seen.path("usage").path(field).asInt() > 0, field);
        }
    }

    /** Fails where .ci/run installed the client ({@code VCO_OPENAI_CLIENT=required}), skips with {@code message} elsewhere. */
    private static void requireClient(boolean present, String message) {
        if (present) return;
        if ("required".equals(System.getenv("VCO_OPENAI_CLIENT"))) fail(message);
        Assumptions.abort(message);
    }
}
