package org.vco4j.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.TinyData;
import org.vco4j.train.distributed.DistributedContext;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class TrainConfigTest {
    @Test
    void readsYamlWithHuggingFaceNamesAndRejectsUnknownKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.yaml");
        Files.writeString(file, String.join("\n", "objective: s-vco", "learning_rate: 2.0e-6", "lora_r: 64",
                "objective_settings: {beta1: \"0.2\"}", "lr_scheduler_type: linear", ""));
        TrainConfig config = TrainConfig.read(file);
        assertEquals("s-vco", config.objective);
        assertEquals(2e-6, config.learningRate);
        assertEquals(64, config.loraR);
        assertEquals("0.2", config.objectiveSettings.get("beta1"));
        assertEquals("linear", config.lrSchedulerType);

        Files.writeString(file, "objective: s-vco\nlearning_rat: 1.0\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(file));
        assertTrue(unknown.getMessage().contains("run.yaml:2") && unknown.getMessage().contains("learning_rat"), unknown.getMessage());

        Files.writeString(file, "objective: s-vco\nlora_r: many\n");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> TrainConfig.read(file));
        assertTrue(type.getMessage().contains("run.yaml:2"), type.getMessage());
    }

    @Test
    void validationNamesTheSetting() {
        TrainConfig config = new TrainConfig();
        config.objective = "dpo";
        config.model = Path.of("m");
        config.data = Path.of("d");
        config.outputDir = Path.of("o");
        config.warmupRatio = 1.5;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, config::validate);
        assertTrue(e.getMessage().contains("warmup_ratio"), e.getMessage());
    }

    @Test
    void validationSplitIsEvaluatedAndLogged(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 6);
        TrainConfig config = TrainerTest.config(data, dir.resolve("run"), "jompo");
        config.maxSteps = 2;
        config.valFraction = 0.34;
        config.evalSteps = 1;
        Training.run(config, DistributedContext.single(), false);
        long evalLines = TrainerTest.metrics(dir.resolve("run")).stream().filter(n -> n.has("eval/loss")).count();
        assertEquals(2, evalLines, "one evaluation after step 1 and one at the end");
        assertTrue(TrainerTest.metrics(dir.resolve("run")).stream().filter(n -> n.has("eval/loss"))
                .allMatch(n -> Double.isFinite(n.get("eval/loss").asDouble())));
    }
}
