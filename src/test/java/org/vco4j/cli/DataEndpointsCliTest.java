package org.vco4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.PngFile;
import org.vco4j.model.image.RgbImage;
import org.vco4j.testing.Cli.Run;
import org.vco4j.testing.LoopbackChatServer;
import org.vco4j.testing.LoopbackImageEditServer;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** {@code vco data edit} and friends as a user runs them, against endpoints on loopback. */
class DataEndpointsCliTest {
    @Test
    void editRunsEndToEndAndBadInputIsOneLineWithExitTwo(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("img"));
        PngFile.write(RgbImage.filled(32, 24, 200, 30, 30), dir.resolve("img/cup.png"));
        Path seeds = Files.writeString(dir.resolve("seeds.jsonl"),
                "{\"image\": \"img/cup.png\", \"prompt\": \"What colour is the cup?\", \"chosen\": \"The cup is red.\"}\n");
        try (LoopbackChatServer planner = new LoopbackChatServer(0, body -> LoopbackChatServer.Reply.ok(
                "{\"scenario\": \"injection\", \"edit_type\": \"attribute\", \"target\": \"cup colour\", \"instruction\": \"Make the cup blue.\", "
                        + "\"edited_response\": \"The cup is blue.\"}"));
             LoopbackImageEditServer editor = new LoopbackImageEditServer(fields -> fields.get("image"));
             LoopbackChatServer verifier = new LoopbackChatServer(0, body -> LoopbackChatServer.Reply.ok(
                     "{\"edit_applied\": true, \"unintended_changes\": false, \"response_correct\": true, \"corrected_response\": \"\", "
                             + "\"rationale\": \"blue now\"}"))) {
            Path out = dir.resolve("edited.jsonl");
            Run run = vco("data", "edit", "--in", seeds.toString(), "--out", out.toString(), "--editor-size", "32",
                    "--planner", planner.baseUrl().toString(), "--planner-model", "qwen-vl-plus", "--planner-key-env", "VCO4J_TEST_UNSET_KEY",
                    "--editor", editor.baseUrl().toString(), "--editor-model", "qwen-image-edit", "--editor-key-env", "VCO4J_TEST_UNSET_KEY",
                    "--verifier", verifier.baseUrl().toString(), "--verifier-model", "tiny", "--verifier-key-env", "VCO4J_TEST_UNSET_KEY",
                    "--rate", "50");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("wrote 1 edited tuples of 1 seeds to " + out + "; 0 failed; summary in "), run.out());
            List<Sample> samples = SampleReader.read(out);
            assertEquals(List.of("The cup is red.", "The cup is blue."), samples.get(0).responses());
            assertEquals("edit-0", samples.get(0).id());
            Run train = vco("train", "--objective", "ic-vco", "--model", TinyWorld.checkpoint().toString(), "--data", out.toString(),
                    "--out", dir.resolve("run").toString(), "--max-steps", "1", "--batch-size", "1", "--lora-r", "2");
            assertEquals(0, train.exitCode(), "vco train reads the edited tuples as they are: " + train.err());

            Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"image\": \"img/cup.png\", \"chosen\": \"red\"}\n");
            Run refused = vco("data", "edit", "--in", bad.toString(), "--out", dir.resolve("bad-out.jsonl").toString(),
                    "--planner", planner.baseUrl().toString(), "--planner-model", "p", "--editor", editor.baseUrl().toString(),
                    "--editor-model", "e", "--verifier", verifier.baseUrl().toString(), "--verifier-model", "v");
            assertEquals(2, refused.exitCode());
            assertEquals("error: " + bad + ": line 1: missing field \"prompt\"", refused.err().strip());
            assertFalse(Files.exists(dir.resolve("bad-out.jsonl")));
        }
    }

    @Test
    void annotatePairsFeedsJompoTraining(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("photos"));
        PngFile.write(RgbImage.filled(24, 24, 200, 30, 30), dir.resolve("photos/red.png"));
        PngFile.write(RgbImage.filled(24, 24, 30, 30, 200), dir.resolve("photos/blue.png"));
        Path pairs = Files.writeString(dir.resolve("pairs.jsonl"),
                "{\"images\": [\"blue.png\", \"red.png\"], \"clip_cosine\": 0.97, \"dinov2_cosine\": 0.2}\n");
        StringBuilder scores = new StringBuilder("{\"scores\": [");
        List<String> types = List.of("Orientation and Direction", "Presence of Specific Features", "State and Condition", "Quantity and Count",
                "Positional and Relational Context", "Color and Appearance", "Structural and Physical Characteristics", "Text and Symbols",
                "Viewpoint and Perspective");
        for (String type : types) {
            int score = type.startsWith("Color") ? 9 : 2;
            scores.append(type.startsWith("Orientation") ? "" : ", ").append("{\"type\": \"").append(type).append("\", \"importance\": ")
                    .append(score).append(", \"importance_rationale\": \"r\", \"hallucination_likelihood\": ").append(score)
                    .append(", \"hallucination_rationale\": \"h\"}");
        }
        String categorized = scores.append("]}").toString();
        try (LoopbackChatServer annotator = new LoopbackChatServer(0, body -> LoopbackChatServer.Reply.ok(
                body.get("messages").get(0).get("content").asText().contains("nine visual contrast types") ? categorized
                        : "{\"prompt\": \"What colour is the square?\", \"response_1\": \"The square is blue.\", "
                        + "\"response_2\": \"The square is red.\"}"))) {
            Path out = dir.resolve("vtc.jsonl");
            Run run = vco("data", "annotate-pairs", "--pairs", pairs.toString(), "--images", dir.resolve("photos").toString(),
                    "--out", out.toString(), "--annotator", annotator.baseUrl().toString(), "--annotator-model", "gpt-4o",
                    "--annotator-key-env", "VCO4J_TEST_UNSET_KEY");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("wrote 1 annotated pairs of 1 to " + out), run.out());
            assertEquals("Color and Appearance", SampleReader.read(out).get(0).contrast());
            Run train = vco("train", "--objective", "jompo", "--model", TinyWorld.checkpoint().toString(), "--data", out.toString(),
                    "--out", dir.resolve("run").toString(), "--max-steps", "1", "--batch-size", "1", "--lora-r", "2");
            assertEquals(0, train.exitCode(), "vco train reads the annotated pairs as they are: " + train.err());
        }
    }

    @Test
    void helpNamesTheKeyVariables() {
        for (String command : List.of("edit", "augment-text", "annotate-pairs")) {
            Run help = vco("data", command, "--help");
            assertEquals(0, help.exitCode(), help.err());
            assertTrue(help.out().contains("OPENAI_API_KEY"), help.out());
            assertTrue(help.out().contains("--rate"), help.out());
        }
    }
}
