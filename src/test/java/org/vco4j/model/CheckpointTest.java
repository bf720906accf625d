package org.vco4j.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;
import org.vco4j.testing.TinyWorld;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {

    @Test
    void tinyCheckpointHasTheHuggingFaceFiles() {
        Path folder = TinyWorld.checkpoint();
        for (String file : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "preprocessor_config.json", "chat_template.json"}) {
            assertTrue(Files.isRegularFile(folder.resolve(file)), file);
        }
    }

    @Test
    void tinyCheckpointsAreDeterministicPerSeed(@TempDir Path dir) throws Exception {
        ModelFamily llava = ModelFamilies.named("llava");
        llava.writeTiny(dir.resolve("a"), "tiny", 5, false);
        llava.writeTiny(dir.resolve("b"), "tiny", 5, false);
        llava.writeTiny(dir.resolve("c"), "tiny", 6, false);
        byte[] a = Files.readAllBytes(dir.resolve("a/model.safetensors"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/model.safetensors")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/model.safetensors"))));
    }

    @Test
    void worldSizedCheckpointSeesSixtyFourPixelsInSixtyFourTokens(@TempDir Path dir) throws Exception {
        ModelFamilies.named("llava").writeTiny(dir.resolve("m"), "tiny-64", 0, false);
        ObjectMapper json = new ObjectMapper();
        var config = json.readTree(dir.resolve("m/config.json").toFile());
        assertEquals(64, config.path("vision_config").path("image_size").asInt());
        assertEquals(8, config.path("vision_config").path("patch_size").asInt());
        assertEquals(64, config.path("image_seq_length").asInt());
        var preprocessor = json.readTree(dir.resolve("m/preprocessor_config.json").toFile());
        assertEquals(64, preprocessor.path("crop_size").path("height").asInt());
        try (PretrainedVlm vlm = PretrainedVlm.load(dir.resolve("m"), ParameterFactory.cpuFloat32())) {
            assertEquals(64, vlm.model().module().namedParameters()
                    .get("model.vision_tower.vision_model.embeddings.patch_embedding.weight").size(0));
        }
    }

    @Test
    void bothKeyLayoutsLoadToTheSameModel() {
        try (PretrainedVlm current = PretrainedVlm.load(TinyWorld.checkpoint(), ParameterFactory.cpuFloat32());
             PretrainedVlm legacy = PretrainedVlm.load(TinyWorld.legacyCheckpoint(), ParameterFactory.cpuFloat32());
             SafetensorsCheckpoint legacyFile = SafetensorsCheckpoint.open(TinyWorld.legacyCheckpoint())) {
            assertTrue(legacyFile.contains("language_model.model.embed_tokens.weight"));
            assertTrue(legacyFile.contains("language_model.lm_head.weight"));
            assertFalse(legacyFile.contains("lm_head.weight"));
            Map<String, Tensor> a = current.model().module().namedParameters();
            Map<String, Tensor> b = legacy.model().module().namedParameters();
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) assertTrue(torch.equal(a.get(name), b.get(name)), name);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void missingTensorIsNamed(@TempDir Path dir) throws Exception {
        Path copy = copyCheckpoint(dir);
        rewriteWeights(copy, weights -> weights.remove("model.language_model.layers.1.mlp.up_proj.weight"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> PretrainedVlm.load(copy, ParameterFactory.cpuFloat32()));
        assertTrue(e.getMessage().contains("model.language_model.layers.1.mlp.up_proj.weight"), e.getMessage());
    }

    @Test
    void wrongShapeIsNamedWithBothShapes(@TempDir Path dir) throws Exception {
        Path copy = copyCheckpoint(dir);
        rewriteWeights(copy, weights -> weights.put("model.multi_modal_projector.linear_2.bias", Tensors.floats(new float[5], 5)));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> PretrainedVlm.load(copy, ParameterFactory.cpuFloat32()));
        assertTrue(e.getMessage().contains("model.multi_modal_projector.linear_2.bias")
                && e.getMessage().contains("[5]") && e.getMessage().contains("[64]"), e.getMessage());
    }

    @Test
    void unknownModelTypeAndMissingConfigAreNamed(@TempDir Path dir) throws Exception {
        Path copy = copyCheckpoint(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(copy.resolve("config.json").toFile());
        config.put("model_type", "qwen9_vl");
        json.writeValue(copy.resolve("config.json").toFile(), config);
        ModelLoadException unknown = assertThrows(ModelLoadException.class,
                () -> PretrainedVlm.load(copy, ParameterFactory.cpuFloat32()));
        assertTrue(unknown.getMessage().contains("qwen9_vl") && unknown.getMessage().contains("config.json"), unknown.getMessage());

        Files.delete(copy.resolve("config.json"));
        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> PretrainedVlm.load(copy, ParameterFactory.cpuFloat32()));
        assertTrue(missing.getMessage().contains("config.json"), missing.getMessage());
    }

    @Test
    void badConfigValuesAreNamed(@TempDir Path dir) throws Exception {
        Path copy = copyCheckpoint(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(copy.resolve("config.json").toFile());
        config.put("image_seq_length", 99);
        json.writeValue(copy.resolve("config.json").toFile(), config);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> PretrainedVlm.load(copy, ParameterFactory.cpuFloat32()));
        assertTrue(e.getMessage().contains("image_seq_length"), e.getMessage());
    }

    private static Path copyCheckpoint(Path dir) throws Exception {
        Path copy = dir.resolve("ckpt");
        Files.createDirectories(copy);
        try (var files = Files.list(TinyWorld.checkpoint())) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    private static void rewriteWeights(Path folder, java.util.function.Consumer<Map<String, Tensor>> edit) throws Exception {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> weights = new LinkedHashMap<>();
            try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                for (String name : checkpoint.names()) weights.put(name, checkpoint.load(name));
            }
            edit.accept(weights);
            Files.delete(folder.resolve("model.safetensors"));
            SafetensorsCheckpointWriter.writeSharded(folder, weights, Long.MAX_VALUE);
        }
    }
}
