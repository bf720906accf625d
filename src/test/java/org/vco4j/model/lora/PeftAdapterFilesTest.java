package org.vco4j.model.lora;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.llava.LlavaForConditionalGeneration;
import org.vco4j.model.llava.LlavaKeyLayout;
import org.vco4j.model.nn.Linear;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class PeftAdapterFilesTest {
    private static final String BASE = "llava-hf/llava-1.5-7b-hf";
    private static final String Q = "model.language_model.layers.0.self_attn.q_proj";

    @TempDir
    Path dir;

    /** Saves random adapters (r 8, alpha 16, dropout 0.05) of tiny model 1 and returns the folder. */
    private Path savedAdapter(LoraConfig config) throws Exception {
        Path adapter = dir.resolve("adapter");
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters adapters = LoraAdapters.attach(model, config, 3)) {
            LoraTesting.randomizeB(adapters, 5);
            adapters.save(adapter, BASE);
        }
        return adapter;
    }

    private Path savedAdapter() throws Exception {
        return savedAdapter(LoraConfig.of(8, 16, 0.05));
    }

    @Test
    void saveThenLoadGivesTheSameAdaptersAndLogits() throws Exception {
        Path adapter = dir.resolve("adapter");
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration original = LoraTesting.tinyModel(1);
             LoraAdapters saved = LoraAdapters.attach(original, LoraConfig.of(8, 16, 0.05), 3)) {
            LoraTesting.randomizeB(saved, 5);
            saved.save(adapter, BASE);
            Tensor expected = LoraTesting.logits(original);
            try (LlavaForConditionalGeneration fresh = LoraTesting.tinyModel(1);
                 LoraAdapters loaded = LoraAdapters.load(adapter, fresh)) {
                assertEquals(saved.config(), loaded.config());
                assertEquals(saved.layerPaths(), loaded.layerPaths());
                Map<String, Tensor> a = saved.trainableParameters();
                Map<String, Tensor> b = loaded.trainableParameters();
                assertEquals(a.keySet(), b.keySet());
                for (String name : a.keySet()) assertTrue(torch.equal(a.get(name), b.get(name)), name);
                for (Tensor t : b.values()) assertTrue(t.requires_grad(), "loaded adapters can be trained further");
                assertTrue(torch.equal(expected, LoraTesting.logits(fresh)));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(adapter), files.toList(), "no staging folder is left behind");
        }
    }

    @Test
    void tensorsAreNamedAsPeftSavesThem() throws Exception {
        Path adapter = savedAdapter();
        try (SafetensorsFile file = SafetensorsFile.open(adapter.resolve(LoraAdapters.WEIGHTS_FILE))) {
            Set<String> expected = new TreeSet<>();
            for (int layer = 0; layer < 2; layer++) {
                for (String name : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                        "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")) {
                    for (String matrix : List.of("lora_A", "lora_B")) {
                        expected.add("base_model.model.model.language_model.layers." + layer + "." + name + "." + matrix + ".weight");
                    }
                }
            }
            assertEquals(expected, new TreeSet<>(file.names()));
            assertTrue(file.names().contains("base_model.model.model.language_model.layers.0.self_attn.q_proj.lora_A.weight"));
            assertArrayEquals(new long[] {8, 64}, file.info("base_model.model." + Q + ".lora_A.weight").shape());
            assertEquals("F32", file.info("base_model.model." + Q + ".lora_B.weight").dtype().code());
            assertEquals(Map.of("format", "pt"), file.metadata());
        }
    }

    @Test
    void adapterConfigIsWrittenAsPeftWritesIt() throws Exception {
        Path adapter = savedAdapter();
        String expected = """
                {
                  "alpha_pattern": {},
                  "auto_mapping": null,
                  "base_model_name_or_path": "llava-hf/llava-1.5-7b-hf",
                  "bias": "none",
                  "fan_in_fan_out": false,
                  "inference_mode": true,
                  "init_lora_weights": true,
                  "layers_pattern": null,
                  "layers_to_transform": null,
                  "lora_alpha": 16,
                  "lora_dropout": 0.05,
                  "modules_to_save": null,
                  "peft_type": "LORA",
                  "r": 8,
                  "rank_pattern": {},
                  "revision": null,
                  "target_modules": "(.*\\\\.)?(language_model)\\\\.(.*\\\\.)?(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)",
                  "task_type": "CAUSAL_LM",
                  "use_dora": false,
                  "use_rslora": false
                }""";
        assertEquals(expected, Files.readString(adapter.resolve(LoraAdapters.CONFIG_FILE)));
        // Python's json.dumps escapes non-ASCII; a fractional alpha stays a float.
        assertTrue(AdapterConfigFile.format(new LoraConfig(4, 2.5, 0, TargetModules.defaults()), "modèle")
                .contains("\"base_model_name_or_path\": \"mod\\u00e8le\",\n  \"bias\""));
        assertTrue(AdapterConfigFile.format(new LoraConfig(4, 2.5, 0, TargetModules.defaults()), null)
                .contains("\"lora_alpha\": 2.5,\n  \"lora_dropout\": 0.0,"));
    }

    @Test
    void targetModulesPatternSelectsTheAdaptedLayersInBothKeyLayouts() {
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(2, 2, 0), 1)) {
            // Java's full match and Python's re.fullmatch agree on this pattern's syntax (groups, |, .*, \.).
            String pattern = adapters.config().targetModules().pattern();
            int selected = 0;
            for (Map.Entry<String, Linear> e : LoraAdapters.linearLayers(model).entrySet()) {
                String path = e.getKey();
                String legacy = LlavaKeyLayout.LEGACY.toCheckpointKey(path + ".weight").replaceAll("\\.weight$", "");
                boolean adapted = e.getValue().adapter() != null;
                assertEquals(adapted, path.matches(pattern), path);
                assertEquals(adapted, legacy.matches(pattern), legacy);
                if (adapted) selected++;
            }
            assertEquals(14, selected);
            assertTrue("language_model.model.layers.0.self_attn.q_proj".matches(pattern));
            assertFalse("model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj".matches(pattern));
        }
    }

    @Test
    void keysWithAnAdapterNameOrInTheLegacyLayoutLoad() throws Exception {
        Path adapter = savedAdapter();
        Map<String, Tensor> original = readAll(adapter);
        rewriteWeights(adapter, weights -> {
            Map<String, Tensor> renamed = new LinkedHashMap<>();
            weights.forEach((key, t) -> {
                String legacy = key.replace("base_model.model.model.language_model.", "base_model.model.language_model.model.");
                renamed.put(legacy.replace(".weight", ".default.weight"), t);
            });
            weights.clear();
            weights.putAll(renamed);
        });
        try (SafetensorsFile file = SafetensorsFile.open(adapter.resolve(LoraAdapters.WEIGHTS_FILE))) {
            assertTrue(file.contains("base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_A.default.weight"));
        }
        try (PointerScope scope = new PointerScope();
             LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters loaded = LoraAdapters.load(adapter, model)) {
            Map<String, Tensor> parameters = loaded.trainableParameters();
            assertEquals(28, parameters.size());
            original.forEach((key, t) -> assertTrue(torch.equal(t, parameters.get(key.substring("base_model.model.".length()))), key));
        }
    }

    @Test
    void peftListFormTargetModulesLoad() throws Exception {
        // A list selects by name anywhere in the model: here only the language model has these names.
        Path adapter = savedAdapter(new LoraConfig(4, 8, 0, new TargetModules.Names(List.of("gate_proj", "up_proj"), List.of())));
        editConfig(adapter, config -> config.putArray("target_modules").add("up_proj").add("gate_proj"));
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters loaded = LoraAdapters.load(adapter, model)) {
            assertEquals(4, loaded.layerPaths().size());
            assertEquals(new TargetModules.Names(List.of("up_proj", "gate_proj"), List.of()), loaded.config().targetModules());
        }
    }

    @Test
    void missingTensorIsNamed() throws Exception {
        Path adapter = savedAdapter();
        rewriteWeights(adapter, weights -> weights.remove("base_model.model." + Q + ".lora_B.weight"));
        ModelLoadException e = assertLoadFails(adapter);
        assertTrue(e.getMessage().contains("base_model.model." + Q + ".lora_B.weight"), e.getMessage());

        Path other = savedAdapter();
        rewriteWeights(other, weights -> weights.keySet().removeIf(k -> k.contains("layers.1.mlp.up_proj")));
        ModelLoadException whole = assertLoadFails(other);
        assertTrue(whole.getMessage().contains("base_model.model.model.language_model.layers.1.mlp.up_proj.lora_A.weight"),
                whole.getMessage());
    }

    @Test
    void wrongShapeIsNamedWithBothShapes() throws Exception {
        Path adapter = savedAdapter();
        rewriteWeights(adapter, weights -> weights.put("base_model.model." + Q + ".lora_A.weight", Tensors.floats(new float[4 * 64], 4, 64)));
        ModelLoadException e = assertLoadFails(adapter);
        assertTrue(e.getMessage().contains("base_model.model." + Q + ".lora_A.weight") && e.getMessage().contains("[4, 64]")
                && e.getMessage().contains("[8, 64]"), e.getMessage());
    }

    @Test
    void tensorsOutsideTheTargetModulesAreRefused() throws Exception {
        // The config selects only q_proj, the file also has k_proj, v_proj, …
        Path adapter = savedAdapter();
        editConfig(adapter, config -> config.put("target_modules", ".*language_model.*\\.q_proj"));
        ModelLoadException unselected = assertLoadFails(adapter);
        assertTrue(unselected.getMessage().contains("does not select") && unselected.getMessage().contains(".*language_model.*\\.q_proj"),
                unselected.getMessage());

        // A layer the model does not have (an adapter for a deeper model).
        Path deeper = savedAdapter();
        rewriteWeights(deeper, weights -> weights.put("base_model.model.model.language_model.layers.7.self_attn.q_proj.lora_A.weight",
                Tensors.floats(new float[8 * 64], 8, 64)));
        ModelLoadException absent = assertLoadFails(deeper);
        assertTrue(absent.getMessage().contains("layers.7.self_attn.q_proj") && absent.getMessage().contains("not a Linear layer"),
                absent.getMessage());

        // A tensor that is no LoRA Linear weight at all.
        Path dora = savedAdapter();
        rewriteWeights(dora, weights -> weights.put("base_model.model." + Q + ".lora_magnitude_vector", Tensors.floats(new float[64])));
        ModelLoadException foreign = assertLoadFails(dora);
        assertTrue(foreign.getMessage().contains("lora_magnitude_vector"), foreign.getMessage());
    }

    @Test
    void unsupportedPeftSettingsAreRefused() throws Exception {
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("peft_type", c -> c.put("peft_type", "IA3"));
        edits.put("use_dora", c -> c.put("use_dora", true));
        edits.put("use_rslora", c -> c.put("use_rslora", true));
        edits.put("modules_to_save", c -> c.putArray("modules_to_save").add("lm_head"));
        edits.put("all-linear", c -> c.put("target_modules", "all-linear"));
        edits.put("pissa", c -> c.put("init_lora_weights", "pissa"));
        edits.put("r", c -> c.put("r", "eight"));
        for (Map.Entry<String, Consumer<ObjectNode>> edit : edits.entrySet()) {
            Path adapter = savedAdapter();
            editConfig(adapter, edit.getValue());
            ModelLoadException e = assertLoadFails(adapter);
            assertTrue(e.getMessage().contains(edit.getKey()) && e.getMessage().contains(LoraAdapters.CONFIG_FILE), e.getMessage());
            deleteRecursively(adapter);
        }
    }

    @Test
    void failedLoadLeavesTheModelUntouched() throws Exception {
        Path adapter = savedAdapter();
        rewriteWeights(adapter, weights -> weights.remove("base_model.model.model.language_model.layers.1.mlp.down_proj.lora_B.weight"));
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1)) {
            model.requiresGrad(true);
            assertThrows(ModelLoadException.class, () -> LoraAdapters.load(adapter, model));
            assertTrue(model.namedParameters().keySet().stream().noneMatch(n -> n.contains("lora_")));
            assertTrue(model.namedParameters().values().stream().allMatch(Tensor::requires_grad), "nothing was frozen");
        }
    }

    @Test
    void savingReplacesAnEarlierAdapterButNoOtherFolder() throws Exception {
        Path adapter = savedAdapter();
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1);
             LoraAdapters adapters = LoraAdapters.attach(model, LoraConfig.of(2, 4, 0), 9)) {
            adapters.save(adapter, null);
            assertTrue(Files.readString(adapter.resolve(LoraAdapters.CONFIG_FILE)).contains("\"r\": 2,"));
            Path occupied = dir.resolve("occupied");
            Files.createDirectories(occupied);
            Files.writeString(occupied.resolve("notes.txt"), "keep me");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adapters.save(occupied, null));
            assertTrue(e.getMessage().contains("not empty"), e.getMessage());
            assertEquals("keep me", Files.readString(occupied.resolve("notes.txt")));
        }
    }

    private static ModelLoadException assertLoadFails(Path adapter) {
        try (LlavaForConditionalGeneration model = LoraTesting.tinyModel(1)) {
            return assertThrows(ModelLoadException.class, () -> LoraAdapters.load(adapter, model).close());
        }
    }

    private static Map<String, Tensor> readAll(Path adapter) throws Exception {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try (SafetensorsCheckpoint file = SafetensorsCheckpoint.open(adapter, LoraAdapters.WEIGHTS_FILE)) {
            for (String name : file.names()) weights.put(name, file.load(name));
        }
        return weights;
    }

    private static void rewriteWeights(Path adapter, Consumer<Map<String, Tensor>> edit) throws Exception {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> weights = readAll(adapter);
            edit.accept(weights);
            SafetensorsWriter.write(adapter.resolve(LoraAdapters.WEIGHTS_FILE), weights, Map.of("format", "pt"));
        }
    }

    private static void editConfig(Path adapter, Consumer<ObjectNode> edit) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path file = adapter.resolve(LoraAdapters.CONFIG_FILE);
        ObjectNode config = (ObjectNode) json.readTree(file.toFile());
        edit.accept(config);
        Files.writeString(file, json.writeValueAsString(config), StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path path) throws Exception {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
