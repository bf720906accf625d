package org.vco4j.data.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.endpoint.ChatClient;
import org.vco4j.endpoint.EndpointSettings;
import org.vco4j.endpoint.ImageEditClient;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;
import org.vco4j.objective.Objective;
import org.vco4j.objective.Objectives;
import org.vco4j.request.RequestValidation;
import org.vco4j.testing.LoopbackChatServer;
import org.vco4j.testing.LoopbackImageEditServer;
import org.vco4j.testing.TinyWorld;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.serve.ChatServer;
import org.vco4j.serve.ServeSettings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code vco data edit} against a planner, an editor and a verifier on loopback, with canned answers. */
class ContrastiveEditingTest {
    private LoopbackChatServer planner;
    private LoopbackImageEditServer editor;
    private LoopbackChatServer verifier;

    private static String plan(String type, String instruction, String edited) {
        return "{\"scenario\": \"injection\", \"edit_type\": \"" + type + "\", \"target\": \"the cup\", \"instruction\": \""
                + instruction + "\", \"edited_response\": \"" + edited + "\"}";
    }

    private void startServers() {
        planner = new LoopbackChatServer(0, body -> {
            String text = body.get("messages").get(1).toString(); // the seed, whatever repair turns follow
            int turns = body.get("messages").size();
            if (turns == 2 && text.contains("q-ok")) return LoopbackChatServer.Reply.ok("Sure! The cup could become blue.");
            if (text.contains("q-ok")) {
                return LoopbackChatServer.Reply.ok("```json\n" + plan("attribute", "Make the cup blue.", "There is a blue cup on the table.") + "\n```");
            }
            if (text.contains("q-badplan")) return LoopbackChatServer.Reply.ok("{\"scenario\": \"injection\"}");
            if (text.contains("q-noimage")) return LoopbackChatServer.Reply.ok(plan("object", "RETURN-GARBAGE", "There is a bowl on the table."));
            if (text.contains("q-reject")) return LoopbackChatServer.Reply.ok(plan("attribute", "Make the cup green.", "There is a green cup on the table."));
            return LoopbackChatServer.Reply.ok(plan("count", "Add two more cups.", "There are two cups on the table."));
        });
        editor = new LoopbackImageEditServer(fields -> new String(fields.get("prompt"), StandardCharsets.UTF_8).equals("RETURN-GARBAGE")
                ? "not a png".getBytes(StandardCharsets.UTF_8) : EndpointTestImages.paintCentre(fields.get("image")));
        verifier = new LoopbackChatServer(0, body -> {
            String text = LoopbackChatServer.lastText(body);
            assertEquals(2, LoopbackChatServer.imageUrls(body).size(), "the verifier sees both images");
            if (text.contains("green")) {
                return LoopbackChatServer.Reply.ok("{\"edit_applied\": true, \"unintended_changes\": true, \"response_correct\": true, "
                        + "\"corrected_response\": \"\", \"rationale\": \"the table changed too\"}");
            }
            if (text.contains("Add two more cups")) {
                return LoopbackChatServer.Reply.ok("{\"edit_applied\": true, \"unintended_changes\": false, \"response_correct\": false, "
                        + "\"corrected_response\": \"There are three cups on the table.\", \"rationale\": \"three cups now\"}");
            }
            return LoopbackChatServer.Reply.ok("{\"edit_applied\": true, \"unintended_changes\": false, \"response_correct\": true, "
                    + "\"corrected_response\": \"\", \"rationale\": \"the cup is blue\"}");
        });
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[]{planner, editor, verifier}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // closing a test server
            }
        }
    }

    private static EndpointSettings settings(String role, URI url, Path cache) {
        return new EndpointSettings(role, url, role + "-model", "VCO4J_TEST_UNSET_KEY", 1, 2, Duration.ofMillis(5), Duration.ofSeconds(10),
                0, 0, cache);
    }

    private ContrastiveEditing.Settings settings(Path dir) {
        return new ContrastiveEditing.Settings(ChatClient.open(settings("planner", planner.baseUrl(), dir.resolve("cache/planner"))),
                ImageEditClient.open(settings("editor", editor.baseUrl(), null)),
                ChatClient.open(settings("verifier", verifier.baseUrl(), dir.resolve("cache/verifier"))), 64, 3, 0.0, 1);
    }

    private static Path seeds(Path dir) throws Exception {
        Path images = dir.resolve("coco");
        EndpointTestImages.write(EndpointTestImages.gradient(64, 48, 1), images.resolve("a.png"));
        EndpointTestImages.write(EndpointTestImages.gradient(48, 64, 2), images.resolve("sub/b.png"));
        String chosen = "There is a red cup on the table.";
        StringBuilder lines = new StringBuilder();
        String[][] rows = {{"s-ok", "a.png", "q-ok"}, {"s-badplan", "a.png", "q-badplan"}, {"s-noimage", "sub/b.png", "q-noimage"},
                {"s-reject", "a.png", "q-reject"}, {"s-correct", "sub/b.png", "q-correct"}};
        for (String[] row : rows) {
            lines.append("{\"id\": \"").append(row[0]).append("\", \"image\": \"").append(row[1]).append("\", \"prompt\": \"")
                    .append(row[2]).append(": what is on the table?\", \"chosen\": \"")
                    .append(row[2].equals("q-correct") ? "There is one cup on the table." : chosen)
                    .append("\", \"rejected\": \"There is a plate on the table.\"}\n");
        }
        Path in = dir.resolve("seeds.jsonl");
        Files.writeString(in, lines);
        return in;
    }

    @Test
    void editsKeepVerifiedSamplesCountFailuresByStageAndTrainAsIcVco(@TempDir Path dir) throws Exception {
        startServers();
        Path in = seeds(dir);
        Path out = dir.resolve("out/edited.jsonl");
        ContrastiveEditing.Result result = ContrastiveEditing.run(settings(dir), in, dir.resolve("coco"), out);
        assertEquals(5, result.records());
        assertEquals(2, result.written());

        List<Sample> samples = SampleReader.read(out);
        assertEquals(List.of("s-ok", "s-correct"), samples.stream().map(Sample::id).toList());
        Sample ok = samples.get(0);
        assertEquals(List.of("There is a red cup on the table.", "There is a blue cup on the table."), ok.responses());
        assertEquals("attribute", ok.contrast());
        assertEquals("red", ok.responses().get(0).substring(ok.masks().get(0).get(0).start(), ok.masks().get(0).get(0).end()));
        assertEquals("blue", ok.responses().get(1).substring(ok.masks().get(1).get(0).start(), ok.masks().get(1).get(0).end()));
        assertEquals("There are three cups on the table.", samples.get(1).responses().get(1), "the verifier's correction is kept");

        RgbImage m = ImageLoader.load(ok.image());
        RgbImage edited = ImageLoader.load(ok.contrastImage().orElseThrow());
        assertEquals(64, edited.width());
        assertEquals(48, edited.height());
        int changed = 0;
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                boolean inBlock = x >= 28 && x < 36 && y >= 20 && y < 28;
                if (!inBlock) assertEquals(m.get(x, y, 0), edited.get(x, y, 0), "unedited pixel " + x + "," + y);
                else if (edited.get(x, y, 2) == 255 && edited.get(x, y, 0) == 0) changed++;
            }
        }
        assertEquals(64, changed, "the edit lands on the same pixels of the original");

        Objective icVco = Objectives.create("ic-vco");
        RequestValidation.check(icVco.name(), icVco.requests(), samples);

        JsonNode summary = Json.MAPPER.readTree(result.summary().toFile());
        assertEquals(1, summary.get("failed_by_stage").get("planner").asInt());
        assertEquals(1, summary.get("failed_by_stage").get("editor").asInt());
        assertEquals(1, summary.get("failed_by_stage").get("verifier").asInt());
        // planner: 2 (one repaired) + 3 (never valid) + 1 + 1 + 1; editor: 4; verifier: 3
        assertEquals(8, summary.get("usage").get("planner").get("requests").asInt());
        assertEquals(8 * LoopbackChatServer.PROMPT_TOKENS, summary.get("usage").get("planner").get("input_tokens").asInt());
        assertEquals(4 * LoopbackImageEditServer.OUTPUT_TOKENS, summary.get("usage").get("editor").get("output_tokens").asInt());
        assertEquals(3, summary.get("usage").get("verifier").get("requests").asInt());
        assertTrue(summary.get("failures").toString().contains("unintended changes: the table changed too"), summary.toString());
        assertFalse(Files.exists(EndpointJob.partialFolder(out)));
        String editorPrompt = new String(editor.requests().get(0).get("size"), StandardCharsets.UTF_8);
        assertEquals("64x64", editorPrompt);
        assertEquals("editor-model", new String(editor.requests().get(0).get("model"), StandardCharsets.UTF_8));
    }

    @Test
    void anInterruptedRunResumesWithoutAskingAgain(@TempDir Path dir) throws Exception {
        startServers();
        Path in = seeds(dir);
        Path out = dir.resolve("edited.jsonl");
        RuntimeException stop = assertThrows(RuntimeException.class, () -> ContrastiveEditing.run(settings(dir), in, dir.resolve("coco"), out,
                index -> {
                    if (index == 1) throw new IllegalStateException("stopped after two records");
                }));
        assertEquals("stopped after two records", stop.getMessage());
        assertFalse(Files.exists(out), "no output before the run ends");
        assertTrue(Files.isRegularFile(EndpointJob.partialFolder(out).resolve(EndpointJob.recordFile(1))));

        ContrastiveEditing.Result result = ContrastiveEditing.run(settings(dir), in, dir.resolve("coco"), out);
        assertEquals(2, result.written());
        assertEquals(2, plannerRequestsFor("q-ok"), "s-ok (asked twice before the stop) was not asked again");
        assertEquals(3, plannerRequestsFor("q-badplan"), "nor s-badplan (three times)");
        JsonNode summary = Json.MAPPER.readTree(result.summary().toFile());
        assertEquals(2, summary.get("resumed_records").asInt());
        assertEquals(8, summary.get("usage").get("planner").get("requests").asInt(), "the summary counts the first run's requests too");
        assertEquals(2, SampleReader.read(out).size());
    }

    private long plannerRequestsFor(String question) {
        return planner.requests().stream().filter(body -> body.get("messages").get(1).toString().contains(question)).count();
    }

    @Test
    void vcoServeTakesTheVerifierRequestsAndItsNonJsonAnswersCountAsVerifierFailures(@TempDir Path dir) throws Exception {
        startServers();
        Path in = seeds(dir);
        try (PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
             ChatServer serve = new ChatServer(vlm.model(), vlm.processor(), "tiny", ServeSettings.of("127.0.0.1", 0, null, null, 2, 16)).start()) {
            URI url = URI.create("http://127.0.0.1:" + serve.port() + "/v1");
            ContrastiveEditing.Settings settings = new ContrastiveEditing.Settings(
                    ChatClient.open(settings("planner", planner.baseUrl(), dir.resolve("cache/planner"))),
                    ImageEditClient.open(settings("editor", editor.baseUrl(), null)),
                    ChatClient.open(new EndpointSettings("verifier", url, "tiny", "VCO4J_TEST_UNSET_KEY", 1, 2, Duration.ofMillis(5),
                            Duration.ofSeconds(60), 0, 8, null)), 64, 1, 0.0, 1);
            Path out = dir.resolve("served.jsonl");
            ContrastiveEditing.Result result = ContrastiveEditing.run(settings, in, dir.resolve("coco"), out);
            assertEquals(0, result.written(), "a random tiny model answers no JSON");
            JsonNode summary = Json.MAPPER.readTree(result.summary().toFile());
            // one answer attempt: s-ok and s-badplan fail at the planner, s-noimage at the editor, the other two reach vco serve
            assertEquals(2, summary.get("failed_by_stage").get("verifier").asInt(), summary.toString());
            assertTrue(summary.get("failures").toString().contains("not one JSON object"), summary.toString());
            assertTrue(summary.get("usage").get("verifier").get("input_tokens").asLong() > 0, "vco serve reports usage");
        }
    }

    @Test
    void aBadSeedIsOneLineNamingTheRecordAndNothingIsAsked(@TempDir Path dir) throws Exception {
        startServers();
        Path images = dir.resolve("coco");
        EndpointTestImages.write(EndpointTestImages.gradient(8, 8, 0), images.resolve("a.png"));
        Path in = dir.resolve("seeds.jsonl");
        Files.writeString(in, "{\"image\": \"a.png\", \"prompt\": \"q\", \"chosen\": \"y\"}\n{\"image\": \"missing.png\", \"prompt\": \"q\", \"chosen\": \"y\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContrastiveEditing.run(settings(dir), in, images, dir.resolve("out.jsonl")));
        assertTrue(e.getMessage().startsWith(in + ": line 2: field \"image\": 'missing.png' does not exist"), e.getMessage());
        assertEquals(0, planner.requests().size());
        assertFalse(Files.exists(dir.resolve("out.jsonl")));
    }
}
