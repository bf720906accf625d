package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.serve.ChatServer;
import org.vco4j.serve.ServeSettings;
import org.vco4j.testing.Cli.Run;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/**
 * A benchmark scored through an OpenAI-compatible endpoint: {@code vco eval pope --endpoint} against {@code vco serve} of
 * a tiny checkpoint answers and scores exactly as {@code vco eval pope --model} of the same checkpoint.
 */
class EndpointEvaluationTest {

    @Test
    void endpointAnswersEqualLocalAnswers(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.pope(dir);
        List<String> common = List.of("--data", data.toString(), "--images", dir.resolve("val2014").toString(), "--max-new-tokens", "6");
        Run local = vco(args(List.of("eval", "pope", "--model", TinyWorld.checkpoint().toString()), common, "--out", dir.resolve("local")));
        assertEquals(0, local.exitCode(), local.err());

        try (PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
             ChatServer server = new ChatServer(vlm.model(), vlm.processor(), "tiny",
                     ServeSettings.of("127.0.0.1", 0, null, null, 4, 16)).start()) {
            String url = "http://127.0.0.1:" + server.port() + "/v1";
            Run remote = vco(args(List.of("eval", "pope", "--endpoint", url, "--endpoint-model", "tiny"), common,
                    "--out", dir.resolve("remote")));
            assertEquals(0, remote.exitCode(), remote.err());
            assertTrue(remote.out().contains("tiny at " + url), remote.out());
        }
        List<JsonNode> localAnswers = BenchmarkFixtures.jsonLines(dir.resolve("local/answers.jsonl"));
        List<JsonNode> remoteAnswers = BenchmarkFixtures.jsonLines(dir.resolve("remote/answers.jsonl"));
        assertEquals(6, remoteAnswers.size());
        for (int i = 0; i < localAnswers.size(); i++) {
            assertEquals(localAnswers.get(i).get("answer"), remoteAnswers.get(i).get("answer"), "answer " + i);
        }
        JsonNode localSummary = Json.MAPPER.readTree(dir.resolve("local/summary.json").toFile());
        JsonNode remoteSummary = Json.MAPPER.readTree(dir.resolve("remote/summary.json").toFile());
        assertEquals(localSummary.get("metrics"), remoteSummary.get("metrics"));
        assertEquals("tiny", remoteSummary.get("model").asText());
        assertTrue(remoteSummary.get("endpoint").asText().startsWith("http://127.0.0.1:"));
    }

    @Test
    void oneModelSourceOnly(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.pope(dir);
        List<String> common = List.of("--data", data.toString(), "--images", dir.resolve("val2014").toString());
        Run both = vco(args(List.of("eval", "pope", "--model", TinyWorld.checkpoint().toString(), "--endpoint", "http://127.0.0.1:9/v1",
                "--endpoint-model", "x"), common, "--out", dir.resolve("a")));
        assertEquals(2, both.exitCode(), both.err());
        Run adapter = vco(args(List.of("eval", "pope", "--endpoint", "http://127.0.0.1:9/v1", "--endpoint-model", "x",
                "--adapter", dir.toString()), common, "--out", dir.resolve("b")));
        assertEquals(2, adapter.exitCode(), adapter.err());
        assertTrue(adapter.err().contains("--adapter needs --model"), adapter.err());
    }

    private static String[] args(List<String> head, List<String> common, String outFlag, Path out) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(common);
        all.add(outFlag);
        all.add(out.toString());
        return all.toArray(String[]::new);
    }
}
