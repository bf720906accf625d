package org.vco4j.model.qwen2vl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.FamilyTraining;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Qwen2-VL through the command line: S-VCO with LoRA (one image per context) and IC-VCO with full fine-tuning
 * (two-image contexts), both against the cached reference, the adapter merged and exported, both results reloaded.
 */
class Qwen2VLTrainingTest {

    @Test
    void trainsSVcoWithLoraAndIcVcoFullyThenExportsAndReloads(@TempDir Path dir) throws IOException {
        Path exported = FamilyTraining.trainExportReload(Qwen2VLTest.tinyCheckpoint(), "qwen2-vl", dir);
        assertTrue(org.vco4j.testing.TestCheckpoints.keys(exported.resolve("model.safetensors")).contains("visual.merger.ln_q.weight"));
    }
}
