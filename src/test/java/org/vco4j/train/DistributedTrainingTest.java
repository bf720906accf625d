package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.testing.TinyData;
import org.vco4j.testing.TinyWorld;
import org.vco4j.train.distributed.DistributedContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two ranks on loopback, each with half of every global batch, train the same weights as one process with
 * the whole batch: gradients are averaged exactly, so only the order of floating-point sums differs.
 */
class DistributedTrainingTest {
    @Test
    void twoRanksMatchOneProcessWithTheSameGlobalBatch(@TempDir Path dir) throws Exception {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        TrainConfig single = TrainerTest.config(data, dir.resolve("single"), "s-vco");
        single.maxSteps = 4;
        single.batchSize = 2;
        single.loraDropout = 0;
        // Adam divides by sqrt(v) + eps: with the default eps a gradient element at round-off level (1e-9) moves its
        // weight by a full learning rate in a direction set by the round-off, which differs between one sum and
        // two partial sums. A larger eps keeps updates proportional to gradients so the comparison is meaningful.
        single.adamEpsilon = 1e-4;
        Training.run(single, DistributedContext.single(), false);
        Path yaml = dir.resolve("ddp.yaml");
        java.nio.file.Files.writeString(yaml, "adam_epsilon: 1.0e-4\n");

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.vco4j.cli.VcoCommand",
                "train", "--nproc", "2", "--config", yaml.toString(), "--objective", "s-vco", "--model", TinyWorld.checkpoint().toString(),
                "--data", data.toString(), "--out", dir.resolve("ddp").toString(), "--max-steps", "4", "--batch-size", "1",
                "--lr", Double.toString(single.learningRate), "--warmup-ratio", "0", "--schedule", "constant",
                "--lora-r", "4", "--lora-alpha", "8", "--lora-dropout", "0", "--save-steps", "4", "--seed", "7"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "distributed run did not finish");
        assertEquals(0, process.exitValue(), output);

        List<Double> singleLosses = TrainerTest.trainingLosses(dir.resolve("single"));
        List<Double> ddpLosses = TrainerTest.trainingLosses(dir.resolve("ddp"));
        assertEquals(singleLosses.size(), ddpLosses.size());
        for (int i = 0; i < singleLosses.size(); i++) {
            assertEquals(singleLosses.get(i), ddpLosses.get(i), 1e-4 * Math.max(1, Math.abs(singleLosses.get(i))), "step " + (i + 1));
        }
        try (PointerScope scope = new PointerScope();
             SafetensorsFile a = SafetensorsFile.open(dir.resolve("single/adapter/adapter_model.safetensors"));
             SafetensorsFile b = SafetensorsFile.open(dir.resolve("ddp/adapter/adapter_model.safetensors"))) {
            assertEquals(a.names(), b.names());
            for (String name : a.names()) {
                float[] x = Tensors.toFloatArray(a.load(name));
                float[] y = Tensors.toFloatArray(b.load(name));
                double scale = 0;
                for (float v : x) scale = Math.max(scale, Math.abs(v));
                for (int k = 0; k < x.length; k++) assertEquals(x[k], y[k], 1e-4 * Math.max(scale, 1e-3), name + "[" + k + "]");
            }
        }
    }
}
