package org.vco4j.cli;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.model.lora.LoraConfig;
import org.vco4j.model.lora.LoraTesting;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;
import org.vco4j.tensor.safetensors.SafetensorsWriter;
import org.vco4j.testing.TinyWorld;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class ExportCommandTest {
    @TempDir
    static Path dir;
    static Path adapter;
    /** Logits of the tiny base with the adapter on; the detached tensor owns its memory. */
    static Tensor adapted;
    static Tensor base;

    @BeforeAll
    static void saveAnAdapter() throws Exception {
        adapter = dir.resolve("adapter");
        try (PointerScope scope = new PointerScope();
             PretrainedVlm vlm = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
             LoraAdapters adapters = LoraAdapters.attach(vlm.model().module(), LoraConfig.of(4, 8, 0.1), 17)) {
            LoraTesting.randomizeB(adapters, 2);
            adapters.save(adapter, TinyWorld.checkpoint().toString());
            adapted = LoraTesting.logits(vlm.model());
            adapters.setEnabled(false);
            base = LoraTesting.logits(vlm.model());
            adapted.retainReference();
            base.retainReference();
        }
    }

    private record Run(int exitCode, String err) {}

    private static Run export(String... extra) {
        return export(TinyWorld.checkpoint(), adapter, extra);
    }

    /** Runs {@code vco export} through the command line and captures what it prints on standard error. */
    private static Run export(Path model, Path adapterFolder, String... extra) {
        PrintStream previous = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> arguments = new ArrayList<>(List.of("export", "--model", model.toString(),
                    "--adapter", adapterFolder.toString()));
            arguments.addAll(List.of(extra));
            return new Run(VcoCommand.run(arguments.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(previous);
        }
    }

    private static Tensor logitsOf(Path checkpoint) {
        try (PretrainedVlm vlm = PretrainedVlm.load(checkpoint, ParameterFactory.cpuFloat32())) {
            return LoraTesting.logits(vlm.model());
        }
    }

    @Test
    void exportedCheckpointComputesWhatBasePlusAdapterComputes() throws Exception {
        Path out = dir.resolve("merged");
        assertEquals(0, export("--out", out.toString()).exitCode());
        try (PointerScope scope = new PointerScope()) {
            Tensor merged = logitsOf(out);
            assertTrue(torch.allclose(adapted, merged, 1e-5, 1e-5, false), "merged logits differ from base + adapter");
            assertFalse(torch.allclose(base, merged, 1e-4, 1e-4, false), "the adapter should have changed the model");
        }
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                "preprocessor_config.json", "chat_template.json", "generation_config.json")) {
            assertArrayEquals(Files.readAllBytes(TinyWorld.checkpoint().resolve(file)), Files.readAllBytes(out.resolve(file)), file);
        }
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(out)) {
            assertTrue(weights.contains("model.language_model.layers.0.self_attn.q_proj.weight"));
            assertTrue(weights.contains("lm_head.weight"));
            assertTrue(weights.names().stream().noneMatch(n -> n.contains("lora")));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no staging folder is left behind");
        }
    }

    @Test
    void legacyKeysExportLoadsToTheSameModel() throws Exception {
        Path out = dir.resolve("merged-legacy");
        assertEquals(0, export("--out", out.toString(), "--legacy-keys").exitCode());
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(out)) {
            assertTrue(weights.contains("language_model.model.layers.0.self_attn.q_proj.weight"));
            assertTrue(weights.contains("language_model.lm_head.weight"));
            assertTrue(weights.contains("vision_tower.vision_model.pre_layrnorm.weight"));
        }
        try (PointerScope scope = new PointerScope()) {
            assertTrue(torch.allclose(adapted, logitsOf(out), 1e-5, 1e-5, false));
        }
    }

    @Test
    void weightsKeepTheBaseCheckpointsDtype() throws Exception {
        Path bf16 = dir.resolve("base-bf16");
        Files.createDirectories(bf16);
        try (Stream<Path> files = Files.list(TinyWorld.checkpoint())) {
            for (Path f : files.toList()) if (!f.getFileName().toString().endsWith(".safetensors")) Files.copy(f, bf16.resolve(f.getFileName()));
        }
        try (PointerScope scope = new PointerScope(); SafetensorsCheckpoint source = SafetensorsCheckpoint.open(TinyWorld.checkpoint())) {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (String name : source.names()) weights.put(name, source.load(name).to(ScalarType.BFloat16));
            SafetensorsCheckpointWriter.writeSharded(bf16, weights, Long.MAX_VALUE);
        }
        Path out = dir.resolve("merged-bf16");
        Run run = export(bf16, adapter, "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (SafetensorsCheckpoint weights = SafetensorsCheckpoint.open(out)) {
            for (String name : weights.names()) assertEquals("BF16", weights.info(name).dtype().code(), name);
        }
    }

    @Test
    void anOccupiedOutputFolderNeedsForce() throws Exception {
        Path out = dir.resolve("occupied");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep me");
        Run refused = export("--out", out.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("not empty"), refused.err());
        assertEquals("keep me", Files.readString(out.resolve("notes.txt")));

        assertEquals(0, export("--out", out.toString(), "--force").exitCode());
        assertFalse(Files.exists(out.resolve("notes.txt")));
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
    }

    @Test
    void aBadAdapterIsReportedAndNothingIsWritten() throws Exception {
        Path broken = dir.resolve("broken-adapter");
        Files.createDirectories(broken);
        Files.copy(adapter.resolve(LoraAdapters.CONFIG_FILE), broken.resolve(LoraAdapters.CONFIG_FILE));
        try (PointerScope scope = new PointerScope(); SafetensorsCheckpoint source = SafetensorsCheckpoint.open(adapter, LoraAdapters.WEIGHTS_FILE)) {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (String name : source.names()) if (!name.contains("layers.1.mlp.down_proj.lora_B")) weights.put(name, source.load(name));
            SafetensorsWriter.write(broken.resolve(LoraAdapters.WEIGHTS_FILE), weights);
        }
        Path out = dir.resolve("never");
        Run run = export(TinyWorld.checkpoint(), broken, "--out", out.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("layers.1.mlp.down_proj.lora_B.weight"), run.err());
        assertFalse(Files.exists(out));
    }
}
