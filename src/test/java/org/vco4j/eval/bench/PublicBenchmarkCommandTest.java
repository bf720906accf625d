package org.vco4j.eval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.model.lora.LoraConfig;
import org.vco4j.model.lora.LoraTesting;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Devices;
import org.vco4j.testing.Cli.Run;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.vco4j.testing.Cli.vco;

/** {@code vco eval pope} end to end on a tiny random checkpoint as a user runs it: resumption, an adapter, bad input. */
class PublicBenchmarkCommandTest {

    @Test
    void popeRunsScoresAndResumesWhereItStopped(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.pope(dir);
        Path out = dir.resolve("out");
        String[] args = {"eval", "pope", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--images", dir.resolve("val2014").toString(), "--out", out.toString(), "--max-new-tokens", "4"};
        Run first = vco(args);
        assertEquals(0, first.exitCode(), first.err() + first.out());
        assertTrue(first.out().contains("pope/coco/adversarial") && first.out().contains("yes_ratio"), first.out());

        List<JsonNode> answers = BenchmarkFixtures.jsonLines(out.resolve("answers.jsonl"));
        assertEquals(6, answers.size());
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        assertEquals("pope", summary.get("benchmark").asText());
        assertEquals(4, summary.get("generation").get("max_new_tokens").asInt());
        // The summary's numbers are the official rule applied to the answers written.
        int yes = 0;
        for (JsonNode a : answers.subList(0, 2)) if (PopeBenchmark.saysYes(a.get("answer").asText())) yes++;
        assertEquals(yes / 2.0, summary.get("metrics").get("pope/coco/random/yes_ratio").asDouble(), 1e-12);
        assertEquals(2, summary.get("metrics").get("pope/coco/random/questions").asInt());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("| pope/coco/popular |"));
        assertEquals(2, Files.readAllLines(out.resolve("coco_pope_popular_answers.jsonl")).size());

        // Interrupted after two answers, in the middle of writing the third: the rerun asks only the four missing.
        String all = Files.readString(out.resolve("answers.jsonl"));
        int second = all.indexOf('\n', all.indexOf('\n') + 1);
        Files.writeString(out.resolve("answers.jsonl"), all.substring(0, second + 1) + "{\"id\": \"coco/popular#1\", \"ans");
        Run resumed = vco(args);
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("6 answers, 2 read back"), resumed.out());
        assertEquals(all, Files.readString(out.resolve("answers.jsonl")), "greedy answers: the resumed run writes what the first wrote");
        assertEquals(summary.get("metrics"), Json.MAPPER.readTree(out.resolve("summary.json").toFile()).get("metrics"));

        // Other settings into the same folder are refused before anything is asked.
        List<String> changed = new ArrayList<>(List.of(args));
        changed.set(changed.size() - 1, "8");
        Run other = vco(changed.toArray(String[]::new));
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("run.json: field 'generation'"), other.err());
        assertEquals(1, other.err().strip().lines().count(), other.err());
    }

    @Test
    void aLoraAdapterIsEvaluatedOnTopOfTheModel(@TempDir Path dir) throws Exception {
        Path adapter = dir.resolve("adapter");
        try (PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), new ParameterFactory(Devices.parse("cpu"), ScalarType.Float));
             LoraAdapters adapters = LoraAdapters.attach(vlm.model().module(), LoraConfig.of(4, 8, 0), 17)) {
            LoraTesting.randomizeB(adapters, 3);
            adapters.save(adapter, TinyWorld.checkpoint().toString());
        }
        Path data = BenchmarkFixtures.pope(dir);
        List<String> base = List.of("eval", "pope", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--images", dir.resolve("val2014").toString(), "--max-new-tokens", "6", "--limit", "1");
        Run plain = vco(with(base, "--out", dir.resolve("plain").toString()));
        Run adapted = vco(with(base, "--out", dir.resolve("adapted").toString(), "--adapter", adapter.toString()));
        assertEquals(0, plain.exitCode(), plain.err());
        assertEquals(0, adapted.exitCode(), adapted.err());
        assertNotEquals(Files.readString(dir.resolve("plain/answers.jsonl")), Files.readString(dir.resolve("adapted/answers.jsonl")),
                "the adapter changes the answers");
        JsonNode summary = Json.MAPPER.readTree(dir.resolve("adapted/summary.json").toFile());
        assertEquals(adapter.toAbsolutePath().normalize().toString(), summary.get("adapter").asText());

        Run missing = vco(with(base, "--out", dir.resolve("missing").toString(), "--adapter", dir.resolve("nowhere").toString()));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nowhere: not an adapter folder"), missing.err());
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void badInputIsOneLineAndExitTwoBeforeTheModelLoads(@TempDir Path dir) throws Exception {
        Path data = BenchmarkFixtures.pope(dir);
        Path split = data.resolve("coco_pope_random.json");
        Files.writeString(split, Files.readString(split).replace("\"label\": \"no\"", "\"label\": \"No\""));
        Run run = vco("eval", "pope", "--model", dir.resolve("no-model").toString(), "--data", data.toString(),
                "--images", dir.resolve("val2014").toString(), "--out", dir.resolve("out").toString());
        assertEquals(2, run.exitCode());
        assertEquals("error: " + split + ":2: field 'label' must be \"yes\" or \"no\", got \"No\"", run.err().strip());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written for bad input");

        Run noImages = vco("eval", "pope", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--out", dir.resolve("out").toString());
        assertEquals(2, noImages.exitCode());
        assertTrue(noImages.err().contains("--images"), noImages.err());

        Files.writeString(split, Files.readString(split).replace("\"label\": \"No\"", "\"label\": \"no\""));
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Run outIsAFile = vco("eval", "pope", "--model", TinyWorld.checkpoint().toString(), "--data", data.toString(),
                "--images", dir.resolve("val2014").toString(), "--out", file.toString());
        assertEquals(2, outIsAFile.exitCode());
        assertEquals("error: --out " + file + " is a file; give a folder", outIsAFile.err().strip());
    }
}
