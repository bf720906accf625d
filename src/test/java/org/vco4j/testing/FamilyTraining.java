package org.vco4j.testing;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.Json;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.Context;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.Tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What every family must do through the command line: S-VCO with LoRA (one image per context) and IC-VCO with full
 * fine-tuning (two-image contexts), the adapter merged and exported in the legacy key layout, both results reloaded
 * and scoring differently from the untrained model.
 */
public final class FamilyTraining {
    private FamilyTraining() {}

    /** Trains, exports and reloads the tiny checkpoint in {@code folder} of family {@code family}; returns the export. */
    public static Path trainExportReload(Path folder, String family, Path dir) throws IOException {
        Path data = TinyData.contrastTuples(dir.resolve("data"), 4);
        Path lora = dir.resolve("lora");
        Cli.Run sVco = Cli.vco("train", "--objective", "s-vco", "--model", folder.toString(), "--data", data.toString(),
                "--out", lora.toString(), "--batch-size", "2", "--max-steps", "2", "--lora-r", "4", "--lora-alpha", "8",
                "--lr", "5e-3", "--seed", "7");
        assertEquals(0, sVco.exitCode(), sVco.err());
        assertFiniteLosses(lora, 2);

        Path full = dir.resolve("full");
        Cli.Run icVco = Cli.vco("train", "--objective", "ic-vco", "--model", folder.toString(), "--data", data.toString(),
                "--out", full.toString(), "--batch-size", "2", "--max-steps", "2", "--full", "--lr", "1e-3", "--seed", "7");
        assertEquals(0, icVco.exitCode(), icVco.err());
        assertFiniteLosses(full, 2);

        Path exported = dir.resolve("exported");
        Cli.Run export = Cli.vco("export", "--model", folder.toString(), "--adapter", lora.resolve("adapter").toString(),
                "--out", exported.toString(), "--legacy-keys");
        assertEquals(0, export.exitCode(), export.err());

        List<ScoreRequest> requests = List.of(
                new ScoreRequest("one", new Context(List.of(TinyWorld.redCircle()), "Describe the image."), "There is a red circle."),
                new ScoreRequest("two", new Context(List.of(TinyWorld.redCircle(), TinyWorld.blueSquare()), "Describe the image."),
                        "There is a red circle."));
        float[] before = scores(folder, family, requests);
        for (Path trained : List.of(exported, full.resolve("model"))) {
            float[] after = scores(trained, family, requests);
            for (float logp : after) assertTrue(Float.isFinite(logp), Arrays.toString(after));
            assertFalse(Arrays.equals(before, after), trained + " scores as the untrained model");
        }
        return exported;
    }

    private static float[] scores(Path checkpoint, String family, List<ScoreRequest> requests) {
        try (PretrainedVlm vlm = PretrainedVlm.load(checkpoint, ParameterFactory.cpuFloat32());
             PointerScope scope = new PointerScope()) {
            assertEquals(family, vlm.family().name());
            return Tensors.toFloatArray(new Scorer(vlm.model(), vlm.processor()).scoreWithoutGrad(requests, true).logps());
        }
    }

    private static void assertFiniteLosses(Path run, int steps) throws IOException {
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = Json.MAPPER.readTree(line);
            if (node.has("loss")) losses.add(node.get("loss").asDouble());
        }
        assertEquals(steps, losses.size(), losses.toString());
        for (double loss : losses) assertTrue(Double.isFinite(loss), losses.toString());
    }
}
