package org.vco4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyData;
import org.vco4j.testing.TinyWorld;
import org.vco4j.train.distributed.DistributedContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    static TrainConfig config(Path data, Path out, String objective) {
        TrainConfig config = new TrainConfig();
        config.objective = objective;
        config.model = TinyWorld.checkpoint();
        config.data = data;
        config.outputDir = out;
        config.batchSize = 2;
        config.maxSteps = 12;
        config.learningRate = 5e-3;
        config.warmupRatio = 0.0;
        config.lrSchedulerType = "constant";
        config.loraR = 4;
        config.loraAlpha = 8;
        config.loraDropout = 0.0;
        config.saveSteps = 4;
        config.seed = 7;
        return config;
    }

    static List<JsonNode> metrics(Path out) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out1 = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) out1.add(json.readTree(line));
        return out1;
    }

    static List<Double> trainingLosses(Path out) throws Exception {
        List<Double> losses = new ArrayList<>();
        for (JsonNode node : metrics(out)) if (node.has("loss")) losses.add(node.get("loss").asDouble());
        return losses;
    }

    @Test
    void sVcoRunsToTheEndAndLossFalls(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path out = dir.resolve("run");
        Training.Outcome outcome = Training.run(config(data, out, "s-vco"), DistributedContext.single(), false);
        assertEquals(12, outcome.state().globalStep);
        List<Double> losses = trainingLosses(out);
        assertEquals(12, losses.size());
        for (double loss : losses) assertTrue(Double.isFinite(loss));
        double first = (losses.get(0) + losses.get(1)) / 2;
        double last = (losses.get(10) + losses.get(11)) / 2;
        assertTrue(last < first, "loss did not fall: " + losses);
        JsonNode step = metrics(out).get(0);
        for (String key : List.of("learning_rate", "grad_norm", "samples_per_second", "tokens_per_second", "loss/attend",
                "loss/reject_flipped")) {
            assertTrue(step.has(key), "metrics lack " + key + ": " + step);
        }
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_config.json")));
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
        try (var plots = Files.list(out.resolve("plots"))) {
            assertTrue(plots.anyMatch(p -> p.toString().endsWith(".png")));
        }
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-000008")), "checkpoint every 4 steps, last two kept");
        assertTrue(Files.isRegularFile(out.resolve("reference_logps.jsonl")));
    }

    @Test
    void sameSeedGivesIdenticalMetrics(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 3);
        TrainConfig a = config(data, dir.resolve("a"), "ic-vco");
        TrainConfig b = config(data, dir.resolve("b"), "ic-vco");
        a.maxSteps = b.maxSteps = 4;
        a.loraDropout = b.loraDropout = 0.1;
        Training.run(a, DistributedContext.single(), false);
        Training.run(b, DistributedContext.single(), false);
        assertEquals(withoutTimings(metrics(dir.resolve("a"))), withoutTimings(metrics(dir.resolve("b"))));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/adapter/adapter_model.safetensors")),
                Files.readAllBytes(dir.resolve("b/adapter/adapter_model.safetensors")));
    }

    @Test
    void cachedAndLiveReferenceWithAndWithoutPrefixSharingAgree(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 2);
        List<List<Double>> runs = new ArrayList<>();
        int index = 0;
        for (boolean live : new boolean[] {false, true}) {
            for (boolean sharing : new boolean[] {true, false}) {
                TrainConfig config = config(data, dir.resolve("run" + index++), "s-vco");
                config.maxSteps = 3;
                config.liveReference = live;
                config.prefixSharing = sharing;
                Training.run(config, DistributedContext.single(), false);
                runs.add(trainingLosses(config.outputDir));
            }
        }
        for (List<Double> run : runs.subList(1, runs.size())) {
            for (int i = 0; i < run.size(); i++) assertEquals(runs.get(0).get(i), run.get(i), 1e-4, "step " + (i + 1));
        }
    }

    @Test
    void nonFiniteLossStopsWithStepAndSamplesAndKeepsTheCheckpoint(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 2);
        TrainConfig config = config(data, dir.resolve("run"), "dpo");
        config.learningRate = 1e30;
        config.maxGradNorm = 0;
        config.saveSteps = 1;
        config.maxSteps = 20;
        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> Training.run(config, DistributedContext.single(), false));
        assertTrue(e.getMessage().matches("(?s)step \\d+: the (loss|gradient norm) is .*"), e.getMessage());
        assertTrue(e.getMessage().contains("checkpoints/step-"), e.getMessage());
        Path checkpoint = dir.resolve("run/checkpoints/step-000001");
        assertTrue(Files.isRegularFile(checkpoint.resolve("trainer_state.json")), "the last good checkpoint is intact");
    }

    @Test
    void refusesToOverwriteARunWithoutResume(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 2);
        TrainConfig config = config(data, dir.resolve("run"), "sft");
        config.maxSteps = 1;
        Training.run(config, DistributedContext.single(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Training.run(config, DistributedContext.single(), false));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }

    static List<JsonNode> withoutTimings(List<JsonNode> records) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode node : records) {
            var copy = node.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("samples_per_second", "tokens_per_second", "flops_per_second"));
            out.add(copy);
        }
        return out;
    }
}
