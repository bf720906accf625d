package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.testing.Cli.Run;
import org.vco4j.testing.LoopbackChatServer;
import org.vco4j.testing.LoopbackChatServer.Reply;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** The benchmarks an LLM judge grades, end to end on a tiny checkpoint, the judge a real HTTP server on loopback. */
class JudgedBenchmarkCommandTest {

    @Test
    void mmhalIsGradedByTheJudgeAndARerunAsksItNothing(@TempDir Path dir) throws Exception {
        Path template = BenchmarkFixtures.mmhal(dir);
        try (LoopbackChatServer judge = new LoopbackChatServer(0, body -> Reply.ok(LoopbackChatServer.lastMessage(body).contains("### Question\nHow many cats")
                ? "The answer misses the second cat.\nRating: 1, somewhat informative, with hallucination" : "No false claim. Rating: 4"))) {
            Path out = dir.resolve("out");
            String[] args = {"eval", "mmhal", "--model", TinyWorld.checkpoint().toString(), "--data", template.toString(),
                    "--images", dir.resolve("images").toString(), "--out", out.toString(), "--max-new-tokens", "4",
                    "--judge-url", judge.baseUrl().toString(), "--judge-model", "judge-7b", "--judge-key-env", "VCO4J_TEST_UNSET_KEY"};
            Run run = vco(args);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(3, judge.requests().size());
            assertEquals(0.0, judge.requests().get(0).get("temperature").asDouble());
            JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
            assertEquals("judge-7b", summary.get("grading").get("judge_model").asText());
            JsonNode metrics = summary.get("metrics");
            assertEquals(3.0, metrics.get("mmhal/average_score").asDouble(), 1e-12);
            assertEquals(1.0 / 3, metrics.get("mmhal/hallucination_rate").asDouble(), 1e-12);
            assertEquals(4.0, metrics.get("mmhal/attribute/average_score").asDouble(), 1e-12);
            assertEquals(1.0, metrics.get("mmhal/counting/hallucination_rate").asDouble(), 1e-12);
            JsonNode response = Json.MAPPER.readTree(out.resolve("response.json").toFile());
            assertEquals(BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl")).get(2).get("answer").asText(), response.get(2).get("model_answer").asText());
            assertTrue(Json.MAPPER.readTree(out.resolve("evaluation.json").toFile()).get(1).get("choices").get(0).get("message").get("content")
                    .asText().contains("Rating: 1"));

            Run again = vco(args);
            assertEquals(0, again.exitCode(), again.err());
            assertEquals(3, judge.requests().size(), "every reply came from the cache");
            assertEquals(metrics, Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics"));
        }
    }

    @Test
    void mmvpCanBeGradedByItsGptGrader(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.mmvp(dir.resolve("MMVP"));
        // The judge says yes exactly for the rows whose correct option is (a): rows 1 and 4, one per pair.
        try (LoopbackChatServer judge = new LoopbackChatServer(0, body -> Reply.ok(
                LoopbackChatServer.lastMessage(body).contains("the correct answer is (a).") ? "Yes" : "no"))) {
            Path out = dir.resolve("out");
            Run run = vco("eval", "mmvp", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(), "--out", out.toString(),
                    "--max-new-tokens", "3", "--grader", "judge", "--judge-url", judge.baseUrl().toString(), "--judge-key-env", "VCO4J_TEST_UNSET_KEY");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode first = judge.requests().get(0);
            assertEquals("gpt-4-0314", first.get("model").asText());
            assertEquals(0.2, first.get("temperature").asDouble());
            assertTrue(first.get("messages").get(0).get("content").asText().startsWith("You are a helpful and precise assistant"));
            JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
            assertEquals(0.0, metrics.get("mmvp/pair_accuracy").asDouble());
            assertEquals(0.5, metrics.get("mmvp/question_accuracy").asDouble());
        }
    }

    @Test
    void hallusionBenchAsksWithAndWithoutImagesAndIsJudged(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.hallusion(dir);
        try (LoopbackChatServer judge = new LoopbackChatServer(0, body -> Reply.ok(
                LoopbackChatServer.lastMessage(body).contains("Reference answer: details 1\n") ? "incorrect" : "correct"))) {
            Path out = dir.resolve("out");
            Run run = vco("eval", "hallusion", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(), "--out", out.toString(),
                    "--max-new-tokens", "3", "--grader", "judge", "--judge-url", judge.baseUrl().toString(), "--judge-key-env", "VCO4J_TEST_UNSET_KEY");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(6, judge.requests().size());
            assertTrue(LoopbackChatServer.lastMessage(judge.requests().get(0)).startsWith("Imagine you are an intelligent teacher."));
            JsonNode answers = BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl")).get(4);
            assertTrue(answers.get("image").isNull(), "the visual-supplement question without its figure is asked without an image");
            JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
            assertEquals(500.0 / 6, metrics.get("hallusion/aacc").asDouble(), 1e-9);
            String summary = Files.readString(out.resolve("summary.md"));
            assertTrue(summary.contains("| per question pair | Easy | Hard | Total |") && summary.contains("| VD_ocr | 4 | 75.0000 | 50.0000 | 50.0000 |"),
                    summary);
        }
    }
}
