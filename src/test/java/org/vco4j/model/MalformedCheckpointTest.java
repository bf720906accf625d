package org.vco4j.model;

import static org.vco4j.testing.Cli.vco;
import org.vco4j.testing.Cli.Run;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vco4j.cli.VcoCommand;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.safetensors.SafetensorsCheckpoint;
import org.vco4j.tensor.safetensors.SafetensorsCheckpointWriter;
import org.vco4j.testing.TinyWorld;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The corpus of malformed checkpoints: each case copies a tiny checkpoint, breaks config.json or the weights in one
 * way, and asserts that loading fails fast (no allocation of whatever the broken config implies), in one line that
 * names the file and the key or tensor, through the API and through {@code vco model info} (exit 2), and that
 * nothing in the folder is written. Add a case for every new way a checkpoint can be wrong.
 */
class MalformedCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FAST = Duration.ofSeconds(10);

    @FunctionalInterface
    interface Mutation {
        void apply(Path folder) throws Exception;

        static Mutation both(Mutation a, Mutation b) {
            return folder -> {
                a.apply(folder);
                b.apply(folder);
            };
        }
    }

    static Stream<Arguments> corpus() {
        List<Arguments> cases = new ArrayList<>();
        // Part 2: missing sections fall back to transformers' (7B) defaults; the header check refuses them.
        cases.add(of("no text_config", remove("text_config"),
                "model.safetensors", "model.multi_modal_projector.linear_1.weight", "[4096, 32]", "[64, 32]", "no text_config"));
        cases.add(of("text_config null", set("text_config", null),
                "model.safetensors", "model.multi_modal_projector.linear_1.weight", "no text_config"));
        cases.add(of("no vision_config", remove("vision_config"),
                "config.json: image_seq_length is 16 but the vision tower gives 576", "no vision_config"));
        cases.add(of("no vision_config, image_seq_length as LLaVA-1.5's", Mutation.both(remove("vision_config"),
                        set("image_seq_length", 576)),
                "model.safetensors", "class_embedding", "[1024]", "[32]", "no vision_config"));
        cases.add(of("wider text model than the weights", set("text_config.hidden_size", 128),
                "model.safetensors", "linear_1.weight", "[128, 32]", "[64, 32]"));
        cases.add(of("more layers than the weights", set("text_config.num_hidden_layers", 3),
                "ckpt is missing 9 tensor(s) the config implies", "model.language_model.layers.2."));
        // Part 3: every number validated when read.
        cases.add(of("negative hidden_size", set("text_config.hidden_size", -64),
                "config.json: text_config.hidden_size must be >= 1, got -64"));
        cases.add(of("negative patch_size", set("vision_config.patch_size", -8),
                "config.json: vision_config.patch_size must be >= 1, got -8"));
        cases.add(of("zero patch_size", set("vision_config.patch_size", 0),
                "config.json: vision_config.patch_size must be >= 1, got 0"));
        cases.add(of("patch larger than the image", set("vision_config.patch_size", 64),
                "config.json: vision_config.patch_size must be <= 32, got 64"));
        cases.add(of("zero text heads", set("text_config.num_attention_heads", 0),
                "config.json: text_config.num_attention_heads must be >= 1, got 0"));
        cases.add(of("zero vision heads", set("vision_config.num_attention_heads", 0),
                "config.json: vision_config.num_attention_heads must be >= 1, got 0"));
        cases.add(of("zero key-value heads", set("text_config.num_key_value_heads", 0),
                "config.json: text_config.num_key_value_heads must be >= 1, got 0"));
        cases.add(of("vocab_size 2e9 as a float", set("text_config.vocab_size", 2e9),
                "config.json: text_config.vocab_size must be an integer, got 2.0E9"));
        cases.add(of("vocab_size 2e9 as an integer", set("text_config.vocab_size", 2_000_000_000),
                "config.json: text_config.vocab_size must be <= 4194304, got 2000000000"));
        cases.add(of("vocab_size beyond int", set("text_config.vocab_size", new BigInteger("100000000000000000000")),
                "config.json: text_config.vocab_size must be an integer (at most 2147483647), got 100000000000000000000"));
        cases.add(of("huge hidden_size", set("text_config.hidden_size", 1 << 20),
                "config.json: text_config.hidden_size must be <= 65536, got 1048576"));
        cases.add(of("negative layers", set("text_config.num_hidden_layers", -1),
                "config.json: text_config.num_hidden_layers must be >= 1, got -1"));
        cases.add(of("too many layers", set("vision_config.num_hidden_layers", 100_000),
                "config.json: vision_config.num_hidden_layers must be <= 1024, got 100000"));
        cases.add(of("zero positions", set("text_config.max_position_embeddings", 0),
                "config.json: text_config.max_position_embeddings must be >= 1, got 0"));
        cases.add(of("huge positions", set("text_config.max_position_embeddings", 1 << 30),
                "config.json: text_config.max_position_embeddings must be <= 16777216"));
        cases.add(of("hidden_size 64.5", set("text_config.hidden_size", 64.5),
                "config.json: text_config.hidden_size must be an integer, got 64.5"));
        cases.add(of("hidden_size 64.0", set("vision_config.hidden_size", 64.0),
                "config.json: vision_config.hidden_size must be an integer, got 64.0"));
        cases.add(of("hidden_size as a string", set("text_config.hidden_size", "64"),
                "config.json: text_config.hidden_size must be an integer, got \"64\""));
        cases.add(of("hidden_size null", set("text_config.hidden_size", null),
                "config.json: text_config.hidden_size must be an integer, got null"));
        cases.add(of("text_config a string", set("text_config", "llama"),
                "config.json: text_config must be an object, got \"llama\""));
        cases.add(of("heads do not divide hidden_size", set("text_config.num_attention_heads", 3),
                "config.json: text_config.hidden_size (64) must be divisible by num_attention_heads (3)"));
        cases.add(of("kv heads do not divide heads", set("text_config.num_key_value_heads", 3),
                "config.json: text_config.num_attention_heads (4) must be divisible by num_key_value_heads (3)"));
        cases.add(of("vision heads do not divide hidden_size", set("vision_config.num_attention_heads", 3),
                "config.json: vision_config.hidden_size (32) must be divisible by num_attention_heads (3)"));
        cases.add(of("patch does not divide image", set("vision_config.image_size", 30),
                "config.json: vision_config.image_size (30) must be divisible by patch_size (8)"));
        cases.add(of("image token beyond the vocabulary", set("image_token_index", 99_999),
                "config.json: image_token_index must be a token id in [0, "));
        cases.add(of("negative image token", set("image_token_index", -1),
                "config.json: image_token_index must be a token id", "got -1"));
        cases.add(of("bos beyond the vocabulary", set("text_config.bos_token_id", 99_999),
                "config.json: text_config.bos_token_id must be a token id"));
        cases.add(of("negative eos", set("text_config.eos_token_id", -2),
                "config.json: text_config.eos_token_id must be a token id"));
        cases.add(of("pad beyond the vocabulary", set("pad_token_id", 1_000_000),
                "config.json: pad_token_id must be a token id"));
        cases.add(of("vision_feature_layer beyond the tower", set("vision_feature_layer", 7),
                "config.json: vision_feature_layer must be in [-3, 2]"));
        cases.add(of("negative rms_norm_eps", set("text_config.rms_norm_eps", -1.0),
                "config.json: text_config.rms_norm_eps must be a finite number above 0"));
        cases.add(of("zero layer_norm_eps", set("vision_config.layer_norm_eps", 0.0),
                "config.json: vision_config.layer_norm_eps must be a finite number above 0"));
        cases.add(of("null strategy", set("vision_feature_select_strategy", null),
                "config.json: vision_feature_select_strategy must be set"));
        cases.add(of("null activation", set("text_config.hidden_act", null),
                "config.json: text_config.hidden_act must be set"));
        cases.add(of("image_seq_length off", set("image_seq_length", 99),
                "config.json: image_seq_length is 99"));
        // The chat template.
        cases.add(of("no chat template", folder -> java.nio.file.Files.delete(folder.resolve("chat_template.json")),
                "no chat template", "chat_template.json", "tokenizer_config.json"));
        cases.add(of("chat template does not parse", folder -> java.nio.file.Files.writeString(folder.resolve("chat_template.json"),
                        "{\"chat_template\": \"{% frobnicate %}\"}"),
                "chat_template.json: the chat template does not parse", "frobnicate"));
        // The weights.
        cases.add(of("I64 tensor for a float weight", weights(w -> w.put("model.language_model.norm.weight",
                        w.get("model.language_model.norm.weight").to(ScalarType.Long))),
                "model.safetensors: tensor 'model.language_model.norm.weight' has dtype Long"));
        cases.add(of("I32 tensor for a float weight", weights(w -> w.put("lm_head.weight",
                        w.get("lm_head.weight").to(ScalarType.Int))),
                "model.safetensors: tensor 'lm_head.weight' has dtype Int"));
        cases.add(of("misshapen tensor", weights(w -> w.put("model.language_model.norm.weight",
                        w.get("model.language_model.norm.weight").narrow(0, 0, 10).clone())),
                "model.safetensors: tensor 'model.language_model.norm.weight' has shape [10]", "[64]"));
        cases.add(of("missing tensor", weights(w -> w.remove("model.multi_modal_projector.linear_2.bias")),
                "is missing 1 tensor(s) the config implies: model.multi_modal_projector.linear_2.bias"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void malformedCheckpointIsRefusedInOneLine(String name, Mutation mutation, List<String> expected, @TempDir Path dir)
            throws Exception {
        Path folder = copyCheckpoint(dir);
        mutation.apply(folder);
        Map<String, String> before = snapshot(folder);

        ModelLoadException e = assertTimeoutPreemptively(FAST, () -> assertThrows(ModelLoadException.class,
                () -> PretrainedVlm.load(folder, ParameterFactory.cpuFloat32()).close()));
        assertOneLineNaming(e.getMessage(), expected);

        Run run = assertTimeoutPreemptively(FAST, () -> vco("model", "info", "--model", folder.toString()));
        assertEquals(2, run.exitCode(), run.err());
        String err = run.err().strip();
        assertTrue(err.startsWith("error: "), err);
        assertOneLineNaming(err, expected);
        assertEquals(before, snapshot(folder), "nothing in the checkpoint folder is written");
    }

    @Test
    void aModelThatCannotFitIsRefusedWithTheNumbers(@TempDir Path dir) throws Exception {
        Path folder = copyCheckpoint(dir);
        MemoryBudget.Available small = new MemoryBudget.Available(10 << 10, "test budget");
        ModelLoadException e = assertTimeoutPreemptively(FAST, () -> assertThrows(ModelLoadException.class,
                () -> PretrainedVlm.load(folder, ParameterFactory.cpuFloat32(), () -> small).close()));
        String message = e.getMessage();
        assertTrue(message.contains("config.json") && message.matches("(?s).*the model has [\\d,]+ parameters, [\\d.]+ [KM]iB at float32, but only 10.0 KiB.*") && message.contains("test budget"), message);
        assertFalse(message.contains("\n"), message);
        // With room enough it loads.
        try (PretrainedVlm vlm = PretrainedVlm.load(folder, ParameterFactory.cpuFloat32(),
                () -> new MemoryBudget.Available(1L << 40, "test budget"))) {
            assertTrue(vlm.model().module().parameterCount() > 0);
        }
    }

    /** llava-hf/llava-1.5-7b-hf's config.json, as published. */
    private static final String LLAVA_15_7B = """
            {"architectures": ["LlavaForConditionalGeneration"], "ignore_index": -100, "image_token_index": 32000,
             "model_type": "llava", "pad_token_id": 32001, "projector_hidden_act": "gelu",
             "text_config": {"_name_or_path": "lmsys/vicuna-7b-v1.5", "architectures": ["LlamaForCausalLM"],
               "max_position_embeddings": 4096, "model_type": "llama", "rms_norm_eps": 1e-05,
               "torch_dtype": "float16", "vocab_size": 32064},
             "tie_word_embeddings": false, "torch_dtype": "float16", "transformers_version": "4.36.0.dev0",
             "vision_config": {"hidden_size": 1024, "image_size": 336, "intermediate_size": 4096,
               "model_type": "clip_vision_model", "num_attention_heads": 16, "num_hidden_layers": 24,
               "patch_size": 14, "projection_dim": 768, "vocab_size": 32000},
             "vision_feature_layer": -2, "vision_feature_select_strategy": "default", "vocab_size": 32064}
            """;

    @Test
    void aRealSevenBillionConfigIsValidAndSizedWithoutAllocating() throws Exception {
        JsonNode config = JSON.readTree(LLAVA_15_7B);
        Map<String, long[]> shapes = assertTimeoutPreemptively(FAST,
                () -> ModelFamilies.named("llava").parameterShapes(config));
        long parameters = 0;
        for (long[] shape : shapes.values()) {
            long n = 1;
            for (long d : shape) n *= d;
            parameters += n;
        }
        assertEquals(686, shapes.size());
        assertEquals(7_063_427_072L, parameters, "llava-1.5-7b-hf's published parameter count");
        assertArrayEquals(new long[] {32064, 4096}, shapes.get("lm_head.weight"));
    }

    @Test
    void theMemoryBudgetIsReadFromTheSystem() {
        MemoryBudget.Available available = MemoryBudget.available();
        assertTrue(available.bytes() > 0 && available.bytes() < Long.MAX_VALUE, available.toString());
        assertFalse(available.source().isBlank());
    }

    @Test
    void nanWeightsMakeScoreFailNamingTheRequest(@TempDir Path dir) throws Exception {
        Path folder = nanCheckpoint(dir);
        Path data = dir.resolve("requests.jsonl");
        Files.writeString(data, "{\"id\": \"req-7\", \"prompt\": \"Describe the image.\", \"response\": \"a red circle\"}\n");
        Path out = dir.resolve("scores.jsonl");
        Run run = vco("score", "--model", folder.toString(), "--data", data.toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("request 'req-7'") && run.err().contains("NaN"), run.err());
        assertFalse(Files.exists(out), "no results are written");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void nanWeightsMakeGenerateFailNamingThePrompt(@TempDir Path dir) throws Exception {
        Path folder = nanCheckpoint(dir);
        Run run = vco("generate", "--model", folder.toString(), "--prompt", "What is shown?", "--max-new-tokens", "4");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("What is shown?") && run.err().contains("not finite"), run.err());
        assertEquals("", run.out());
    }

    private static Path nanCheckpoint(Path dir) throws Exception {
        Path folder = copyCheckpoint(dir);
        weights(w -> w.put("lm_head.weight", w.get("lm_head.weight").fill_(new Scalar(Double.NaN)))).apply(folder);
        return folder;
    }

    // ---- helpers ----


    private static void assertOneLineNaming(String message, List<String> expected) {
        assertFalse(message.strip().contains("\n"), "one line: " + message);
        for (String part : expected) assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }

    private static Arguments of(String name, Mutation mutation, String... expected) {
        return Arguments.of(name, mutation, List.of(expected));
    }

    /** Sets a dotted key of config.json to a value (null writes JSON null). */
    private static Mutation set(String key, Object value) {
        return editConfig(key, (parent, field) -> parent.set(field, node(value)));
    }

    /** Removes a dotted key of config.json. */
    private static Mutation remove(String key) {
        return editConfig(key, ObjectNode::remove);
    }

    private static Mutation editConfig(String key, java.util.function.BiConsumer<ObjectNode, String> edit) {
        return folder -> {
            Path file = folder.resolve("config.json");
            ObjectNode config = (ObjectNode) JSON.readTree(file.toFile());
            String[] parts = key.split("\\.");
            ObjectNode parent = config;
            for (int i = 0; i < parts.length - 1; i++) parent = (ObjectNode) parent.get(parts[i]);
            edit.accept(parent, parts[parts.length - 1]);
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        };
    }

    private static JsonNode node(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) return f.nullNode();
        if (value instanceof Integer i) return IntNode.valueOf(i);
        if (value instanceof Double d) return DoubleNode.valueOf(d);
        if (value instanceof BigInteger b) return f.numberNode(b);
        if (value instanceof String s) return TextNode.valueOf(s);
        throw new IllegalArgumentException(String.valueOf(value));
    }

    /** Rewrites model.safetensors after editing its tensors by checkpoint key. */
    private static Mutation weights(Consumer<Map<String, Tensor>> edit) {
        return folder -> {
            try (PointerScope scope = new PointerScope()) {
                Map<String, Tensor> weights = new LinkedHashMap<>();
                try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
                    for (String name : checkpoint.names()) weights.put(name, checkpoint.load(name));
                }
                edit.accept(weights);
                Files.delete(folder.resolve("model.safetensors"));
                SafetensorsCheckpointWriter.writeSharded(folder, weights, Long.MAX_VALUE);
            }
        };
    }

    private static Path copyCheckpoint(Path dir) throws Exception {
        Path copy = dir.resolve("ckpt");
        Files.createDirectories(copy);
        try (var files = Files.list(TinyWorld.checkpoint())) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        return copy;
    }

    /** Every file's name, size and modification time. */
    private static Map<String, String> snapshot(Path folder) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.walk(folder)) {
            for (Path f : files.toList()) {
                out.put(folder.relativize(f).toString(), Files.isDirectory(f) ? "dir"
                        : Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }
}
