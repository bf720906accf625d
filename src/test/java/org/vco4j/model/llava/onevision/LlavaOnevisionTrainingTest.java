package org.vco4j.model.llava.onevision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.testing.FamilyTraining;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LLaVA-OneVision through the command line: S-VCO with LoRA (one tiled image per context) and IC-VCO with full
 * fine-tuning (two-image contexts, not tiled), the adapter merged and exported in the legacy layout, both results reloaded.
 */
class LlavaOnevisionTrainingTest {

    @Test
    void trainsSVcoWithLoraAndIcVcoFullyThenExportsAndReloads(@TempDir Path dir) throws IOException {
        Path exported = FamilyTraining.trainExportReload(LlavaOnevisionTest.tinyCheckpoint(), "llava-onevision", dir);
        assertTrue(org.vco4j.testing.TestCheckpoints.keys(exported.resolve("model.safetensors")).contains("image_newline"));
    }
}
