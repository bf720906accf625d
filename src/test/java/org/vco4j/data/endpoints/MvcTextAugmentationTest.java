package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.EndpointSettings;
import org.vco4j.objective.Objective;
import org.vco4j.objective.Objectives;
import org.vco4j.request.RequestValidation;
import org.vco4j.testing.LoopbackChatServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco data augment-text} against an LLM on loopback with canned answers. */
class MvcTextAugmentationTest {
    @Test
    void bothStepsRewriteTheTuplesAndAFailedRewriteIsCounted(@TempDir Path dir) throws Exception {
        EndpointTestImages.write(EndpointTestImages.gradient(16, 16, 1), dir.resolve("img/a.png"));
        EndpointTestImages.write(EndpointTestImages.gradient(16, 16, 2), dir.resolve("img/b.png"));
        Path data = dir.resolve("mvc.jsonl");
        Files.writeString(data, """
                {"id": "t0", "images": ["img/a.png", "img/b.png"], "prompt": "Describe.", "responses": ["a red ball", "a blue ball"], "contrast": "attribute"}
                {"id": "t1", "images": ["img/b.png", "img/a.png"], "prompt": "Describe.", "responses": ["two cats", "three cats"], "contrast": "count"}
                """);
        try (LoopbackChatServer llm = new LoopbackChatServer(0, body -> {
            String system = body.get("messages").get(0).get("content").asText();
            String user = body.get("messages").get(1).get("content").asText();
            if (system.contains("You write questions")) {
                return LoopbackChatServer.Reply.ok(user.contains("ball") ? "{\"question\": \"What colour is the ball?\"}" : "{\"question\": \"How many cats?\"}");
            }
            assertTrue(user.startsWith("Question: "), user);
            if (user.contains("cats")) return LoopbackChatServer.Reply.ok("{\"question\": \"How many cats?\", \"response_1\": \"Cats.\", \"response_2\": \"Cats.\"}");
            return LoopbackChatServer.Reply.ok("{\"question\": \"What colour is the ball on the floor?\", "
                    + "\"response_1\": \"The ball on the floor is red.\", \"response_2\": \"The ball on the floor is blue.\"}");
        })) {
            MvcTextAugmentation.Settings settings = new MvcTextAugmentation.Settings(ChatClient.open(new EndpointSettings("llm", llm.baseUrl(),
                    "gpt-4o", "VCO4J_TEST_UNSET_KEY", 1, 2, Duration.ofMillis(5), Duration.ofSeconds(10), 1000, 0, null)), 2, 1.0, 2);
            Path out = dir.resolve("mvc-augmented.jsonl");
            MvcTextAugmentation.Result result = MvcTextAugmentation.run(settings, data, out);
            assertEquals(1, result.written());
            List<Sample> samples = SampleReader.read(out);
            assertEquals("What colour is the ball on the floor?", samples.get(0).prompt());
            assertEquals(List.of("The ball on the floor is red.", "The ball on the floor is blue."), samples.get(0).responses());
            assertEquals(dir.resolve("img/a.png"), samples.get(0).image(), "images inside the output's folder are used in place");
            assertEquals("attribute", samples.get(0).contrast());
            Objective sVco = Objectives.create("s-vco");
            RequestValidation.check(sVco.name(), sVco.requests(), samples);
            JsonNode summary = Json.MAPPER.readTree(result.summary().toFile());
            assertEquals(1, summary.get("failed_by_stage").get("rewrite").asInt());
            assertEquals(2, summary.get("usage").get("query").get("requests").asInt());
            assertEquals(3, summary.get("usage").get("rewrite").get("requests").asInt());
            assertEquals(1.0, llm.requests().get(0).get("temperature").asDouble());
        }
    }
}
