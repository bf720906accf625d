package org.vco4j.model.qwen2vl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vco4j.common.Json;
import org.vco4j.objective.Objectives;
import org.vco4j.testing.Cli;
import org.vco4j.testing.TinyData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Every objective trains a LoRA step on the tiny Qwen2-VL through the command line, with a finite loss. */
class Qwen2VLObjectivesTest {

    static List<String> objectives() {
        return Objectives.names();
    }

    @ParameterizedTest
    @MethodSource("objectives")
    void oneLoraStep(String objective, @TempDir Path dir) throws IOException {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 2);
        // SymMPO also scores a rejected answer y_l of m.
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(data)) {
            ObjectNode sample = (ObjectNode) Json.MAPPER.readTree(line);
            sample.putArray("rejected").add("There is a purple triangle.");
            lines.add(Json.MAPPER.writeValueAsString(sample));
        }
        Files.write(data, lines);
        Path out = dir.resolve("run");
        Cli.Run run = Cli.vco("train", "--objective", objective, "--model", Qwen2VLTest.tinyCheckpoint().toString(),
                "--data", data.toString(), "--out", out.toString(), "--batch-size", "2", "--max-steps", "1",
                "--lora-r", "4", "--lora-alpha", "8", "--seed", "7");
        assertEquals(0, run.exitCode(), run.err());
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode node = Json.MAPPER.readTree(line);
            if (node.has("loss")) losses.add(node.get("loss").asDouble());
        }
        assertEquals(1, losses.size(), losses.toString());
        assertTrue(Double.isFinite(losses.get(0)), objective + ": " + losses);
    }
}
