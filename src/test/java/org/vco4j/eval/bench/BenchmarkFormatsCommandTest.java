package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.testing.Cli.Run;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/**
 * Each rule-graded benchmark's command end to end on a tiny random checkpoint, on fixtures in its published format:
 * the summary must be the benchmark's rule applied to the answers the command wrote.
 */
class BenchmarkFormatsCommandTest {

    @Test
    void mmvpRunsOnThePublishedFolder(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.mmvp(dir.resolve("MMVP"));
        Path out = dir.resolve("out");
        Run run = vco("eval", "mmvp", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(), "--out", out.toString(),
                "--max-new-tokens", "3");
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> answers = BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl"));
        assertEquals(4, answers.size());
        int pairs = 0;
        String[] correct = {"(a)", "(b)", "(b)", "(a)"};
        for (int p = 0; p < 2; p++) {
            if (OptionLetters.isCorrect(correct[2 * p], answers.get(2 * p).get("answer").asText())
                    && OptionLetters.isCorrect(correct[2 * p + 1], answers.get(2 * p + 1).get("answer").asText())) pairs++;
        }
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals(pairs / 2.0, summary.get("metrics").get("mmvp/pair_accuracy").asDouble(), 1e-12);
        assertTrue(summary.get("images").asText().endsWith("MMVP Imgaes"), summary.toString());
    }

    @Test
    void chairCaptionsAndScoresCocoImages(@TempDir Path dir) throws Exception {
        Path annotations = BenchmarkFixtures.coco(dir);
        Path out = dir.resolve("out");
        Run run = vco("eval", "chair", "--model", TinyWorld.checkpoint().toString(), "--data", annotations.toString(),
                "--images", dir.resolve("val2014").toString(), "--out", out.toString(), "--max-new-tokens", "6");
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> answers = BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl"));
        assertEquals(List.of("7", "42"), answers.stream().map(a -> a.get("id").asText()).toList());
        // The summary is the reference rule applied to the captions written.
        Map<String, String> captions = new LinkedHashMap<>();
        for (JsonNode a : answers) captions.put(a.get("id").asText(), a.get("answer").asText());
        Map<String, Double> expected = ChairBenchmark.read(annotations, dir.resolve("val2014"), null, 0).score(captions, Files.createDirectory(dir.resolve("check")));
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
        assertEquals(2, metrics.get("chair/captions").asInt());
        expected.forEach((name, value) -> assertEquals(Double.isNaN(value) ? "null" : String.valueOf(value), metrics.get(name).toString(), name));
        assertTrue(Files.exists(out.resolve("chair.json")) && Files.exists(out.resolve("captions.json")));
    }

    @Test
    void amberRunsOnItsDataFolder(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.amber(dir);
        Path out = dir.resolve("out");
        Run run = vco("eval", "amber", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--images", dir.resolve("images").toString(), "--out", out.toString(), "--max-new-tokens", "3");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, String> answers = new LinkedHashMap<>();
        for (JsonNode a : BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl"))) answers.put(a.get("id").asText(), a.get("answer").asText());
        assertEquals(List.of("1", "2", "3", "4", "5"), List.copyOf(answers.keySet()));
        Map<String, Double> expected = AmberBenchmark.read(data, dir.resolve("images"), null, 0, null, 0.8)
                .score(answers, Files.createDirectory(dir.resolve("check")));
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
        expected.forEach((name, value) -> assertEquals(value, metrics.get(name).asDouble(), 1e-12, name));
        assertTrue(run.out().contains("amber/generative"), run.out());
    }

    @Test
    void cvBenchRunsOnItsJsonl(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.cvBench(dir);
        Path out = dir.resolve("out");
        Run run = vco("eval", "cvbench", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(), "--out", out.toString(),
                "--max-new-tokens", "2");
        assertEquals(0, run.exitCode(), run.err());
        Map<String, String> answers = new LinkedHashMap<>();
        for (JsonNode a : BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl"))) answers.put(a.get("id").asText(), a.get("answer").asText());
        Map<String, Double> expected = CvBench.read(data, null, null, 0).score(answers, Files.createDirectory(dir.resolve("check")));
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
        assertEquals(expected.get("cvbench/accuracy"), metrics.get("cvbench/accuracy").asDouble(), 1e-12);
        assertEquals(4, metrics.get("cvbench/questions").asInt());
    }

    @Test
    void aVlmEvalKitTsvRunsWithItsBase64Images(@TempDir Path dir) throws Exception {
        Path tsv = VlmEvalTsvTest.write(dir);
        Path out = dir.resolve("out");
        Run run = vco("eval", "vlmeval", "--model", TinyWorld.checkpoint().toString(), "--data", tsv.toString(), "--out", out.toString(),
                "--max-new-tokens", "2");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, BenchmarkFixtures.jsonLines(out.resolve("predictions.jsonl")).size());
        assertTrue(Files.exists(out.resolve("tsv_images/0.png")) && Files.exists(out.resolve("tsv_images/1000000.png")));
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics");
        assertEquals(3, metrics.get("vlmeval/questions").asInt());
        assertTrue(metrics.has("vlmeval/circular_accuracy"));
    }
}
