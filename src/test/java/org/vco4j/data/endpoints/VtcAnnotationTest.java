package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.ChatMessage;
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

/** {@code vco data annotate-pairs} against a VLM on loopback with canned answers. */
class VtcAnnotationTest {
    private LoopbackChatServer annotator;

    @AfterEach
    void stop() {
        if (annotator != null) annotator.close();
    }

    /** Nine scores; {@code top} gets 9 + 8, the others 3 + 2; {@code drop} is left out. */
    private static String scores(String top, String drop) {
        StringBuilder json = new StringBuilder("{\"scores\": [");
        for (String type : VtcAnnotation.CONTRAST_TYPES.keySet()) {
            if (type.equals(drop)) continue;
            boolean best = type.equals(top);
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ", ").append("{\"type\": \"").append(type.toLowerCase())
                    .append("\", \"importance\": ").append(best ? 9 : 3).append(", \"importance_rationale\": \"why ").append(type)
                    .append("\", \"hallucination_likelihood\": ").append(best ? 8 : 2).append(", \"hallucination_rationale\": \"risk\"}");
        }
        return json.append("]}").toString();
    }

    private void start(Path images) throws Exception {
        String a = ChatMessage.Part.dataUrl(Files.readAllBytes(images.resolve("a.png")), "a");
        String c = ChatMessage.Part.dataUrl(Files.readAllBytes(images.resolve("c.png")), "c");
        annotator = new LoopbackChatServer(0, body -> {
            List<String> urls = LoopbackChatServer.imageUrls(body);
            String system = body.get("messages").get(0).get("content").asText();
            boolean repair = body.get("messages").size() > 2;
            boolean pairAc = urls.get(0).equals(a) && urls.get(1).equals(c);
            boolean pairAb = urls.get(0).equals(a) && !pairAc;
            if (system.contains("nine visual contrast types")) {
                if (pairAc) return LoopbackChatServer.Reply.ok(repair ? scores("Quantity and Count", null) : scores("Quantity and Count", "Text and Symbols"));
                return LoopbackChatServer.Reply.ok(scores(pairAb ? "Color and Appearance" : "Positional and Relational Context", null));
            }
            assertTrue(system.contains("Follow the style of these examples"), system);
            if (pairAc) {
                return LoopbackChatServer.Reply.ok("{\"prompt\": \"How many cups?\", \"response_1\": \"Two cups stand on a shelf.\", "
                        + "\"response_2\": \"A dog sleeps in the yard at noon.\"}");
            }
            if (pairAb) {
                assertTrue(system.contains("It is a small red hatchback"), "the colour exemplar is shown");
                return LoopbackChatServer.Reply.ok("{\"prompt\": \"What colour is the ball?\", \"response_1\": \"The ball on the floor is red.\", "
                        + "\"response_2\": \"The ball on the floor is blue.\"}");
            }
            return LoopbackChatServer.Reply.ok("{\"prompt\": \"Where is the lamp?\", \"response_1\": \"The lamp stands left of the sofa.\", "
                    + "\"response_2\": \"The lamp stands right of the sofa.\"}");
        });
    }

    private VtcAnnotation.Settings settings(Path dir) {
        return new VtcAnnotation.Settings(ChatClient.open(new EndpointSettings("annotator", annotator.baseUrl(), "vlm", "VCO4J_TEST_UNSET_KEY",
                2, 2, Duration.ofMillis(5), Duration.ofSeconds(10), 0, 0, dir.resolve("cache"))), 3, 0.0, 2);
    }

    private static Path pairs(Path dir) throws Exception {
        Path images = dir.resolve("photos");
        for (String name : List.of("a", "b", "c", "d")) {
            EndpointTestImages.write(EndpointTestImages.gradient(32, 24, name.charAt(0)), images.resolve(name + ".png"));
        }
        Path pairs = dir.resolve("pairs.jsonl");
        Files.writeString(pairs, """
                {"images": ["a.png", "b.png"], "clip_cosine": 0.97, "dinov2_cosine": 0.41}
                {"images": ["a.png", "c.png"], "clip_cosine": 0.96, "dinov2_cosine": 0.52}
                {"images": ["b.png", "d.png"], "clip_cosine": 0.99, "dinov2_cosine": 0.33}
                """);
        return pairs;
    }

    @Test
    void pairsGetTheirBestTypeAndContrastiveTextsThatJompoTrainsOn(@TempDir Path dir) throws Exception {
        Path pairs = pairs(dir);
        start(dir.resolve("photos"));
        Path out = dir.resolve("vtc/vtc.jsonl");
        VtcAnnotation.Result result = VtcAnnotation.run(settings(dir), pairs, dir.resolve("photos"), out);
        assertEquals(3, result.records());
        assertEquals(2, result.written());

        List<Sample> samples = SampleReader.read(out);
        assertEquals(List.of("vtc-0", "vtc-2"), samples.stream().map(Sample::id).toList());
        assertEquals("Color and Appearance", samples.get(0).contrast());
        assertEquals("Positional and Relational Context", samples.get(1).contrast());
        assertEquals("What colour is the ball?", samples.get(0).prompt());
        Sample ball = samples.get(0);
        assertEquals("red", ball.responses().get(0).substring(ball.masks().get(0).get(0).start(), ball.masks().get(0).get(0).end()));
        assertEquals(Files.readAllBytes(dir.resolve("photos/a.png")).length, Files.size(ball.image()));
        Objective jompo = Objectives.create("jompo");
        RequestValidation.check(jompo.name(), jompo.requests(), samples);

        JsonNode summary = Json.MAPPER.readTree(result.summary().toFile());
        assertEquals(1, summary.get("failed_by_stage").get("write").asInt());
        assertEquals(4, summary.get("usage").get("categorize").get("requests").asInt(), "one repaired categorisation");
        assertEquals(5, summary.get("usage").get("write").get("requests").asInt(), "three tries for the pair whose texts differ throughout");
        assertEquals(1, summary.get("written_by_contrast_type").get("Color and Appearance").asInt());

        String review = Files.readString(result.review());
        assertTrue(review.contains("## vtc-0: Color and Appearance"), review);
        assertTrue(review.contains("The ball on the floor is **red**."), review);
        assertTrue(review.contains("| Color and Appearance | 9 | 8 |"), review);
        assertTrue(review.contains("![a.png](vtc-images/"), review);
        assertTrue(review.contains("| vtc-1 | a.png, c.png | write |"), review);
    }

    @Test
    void anInterruptedRunResumesAndABadPairFileIsOneLine(@TempDir Path dir) throws Exception {
        Path pairs = pairs(dir);
        start(dir.resolve("photos"));
        Path out = dir.resolve("vtc.jsonl");
        VtcAnnotation.Settings oneAtATime = new VtcAnnotation.Settings(settings(dir).annotator(), 3, 0.0, 1);
        assertThrows(IllegalStateException.class, () -> VtcAnnotation.run(oneAtATime, pairs, dir.resolve("photos"), out, index -> {
            throw new IllegalStateException("stop");
        }));
        String a = ChatMessage.Part.dataUrl(Files.readAllBytes(dir.resolve("photos/a.png")), "a");
        String b = ChatMessage.Part.dataUrl(Files.readAllBytes(dir.resolve("photos/b.png")), "b");
        VtcAnnotation.Result result = VtcAnnotation.run(oneAtATime, pairs, dir.resolve("photos"), out);
        assertEquals(2, result.written());
        long firstPair = annotator.requests().stream().filter(body -> LoopbackChatServer.imageUrls(body).equals(List.of(a, b))).count();
        assertEquals(2, firstPair, "the first pair (categorised and written before the stop) was not asked again");

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"images\": [\"a.png\"]}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VtcAnnotation.run(oneAtATime, bad, dir.resolve("photos"), dir.resolve("bad-out.jsonl")));
        assertEquals(bad + ": line 1: field \"images\": a CLIP-blind pair has two images, got 1", e.getMessage());
    }
}
