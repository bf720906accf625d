package org.vco4j.model.lora;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.model.ModelLoadException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * PEFT's {@code adapter_config.json} for a LoRA adapter, written as PEFT writes it
 * ({@code json.dumps(config, indent=2, sort_keys=True)}, ASCII, no final newline) and read back with
 * a clear error for every setting this implementation cannot honour.
 *
 * <p>Only fields that PEFT has known since 0.9 are written; PEFT fills newer ones with their defaults,
 * and older versions would refuse a file with fields they do not know.
 */
final class AdapterConfigFile {
    static final String FILE_NAME = "adapter_config.json";

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            // Python writes the hex digits of escaped characters in lower case; Jackson defaults to upper.
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build());
    private static final DefaultPrettyPrinter PYTHON_INDENT = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private AdapterConfigFile() {}

    /** The file's text for {@code config}; {@code baseModelPath} becomes {@code base_model_name_or_path}. */
    static String format(LoraConfig config, String baseModelPath) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        // Python sorts keys by code point; for these ASCII names that is String order.
        Map<String, JsonNode> fields = new TreeMap<>();
        fields.put("alpha_pattern", nodes.objectNode());
        fields.put("auto_mapping", nodes.nullNode());
        fields.put("base_model_name_or_path", baseModelPath == null ? nodes.nullNode() : nodes.textNode(baseModelPath));
        fields.put("bias", nodes.textNode("none"));
        fields.put("fan_in_fan_out", nodes.booleanNode(false));
        fields.put("inference_mode", nodes.booleanNode(true));
        fields.put("init_lora_weights", nodes.booleanNode(true));
        fields.put("layers_pattern", nodes.nullNode());
        fields.put("layers_to_transform", nodes.nullNode());
        // PEFT types lora_alpha as int; Python would print 16.0 for a float.
        double alpha = config.alpha();
        fields.put("lora_alpha", alpha == Math.rint(alpha) && Math.abs(alpha) < 1e15 ? nodes.numberNode((long) alpha) : nodes.numberNode(alpha));
        fields.put("lora_dropout", nodes.numberNode(config.dropout()));
        fields.put("modules_to_save", nodes.nullNode());
        fields.put("peft_type", nodes.textNode("LORA"));
        fields.put("r", nodes.numberNode(config.r()));
        fields.put("rank_pattern", nodes.objectNode());
        fields.put("revision", nodes.nullNode());
        fields.put("target_modules", nodes.textNode(config.targetModules().pattern()));
        fields.put("task_type", nodes.textNode("CAUSAL_LM"));
        fields.put("use_dora", nodes.booleanNode(false));
        fields.put("use_rslora", nodes.booleanNode(false));
        ObjectNode root = nodes.objectNode();
        fields.forEach(root::set);
        try {
            return JSON.writer(PYTHON_INDENT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot format adapter_config.json: " + e.getOriginalMessage(), e);
        }
    }

    static void write(Path file, LoraConfig config, String baseModelPath) throws IOException {
        Files.writeString(file, format(config, baseModelPath), StandardCharsets.US_ASCII);
    }

    /** Reads a LoRA config, refusing PEFT features whose adapters would compute something else here. */
    static LoraConfig read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(file + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new ModelLoadException(file + ": not a JSON object");
        String peftType = root.path("peft_type").asText("");
        if (!peftType.equals("LORA")) {
            throw new ModelLoadException(file + ": peft_type is '" + peftType + "'; only LORA adapters are supported");
        }
        refuse(file, root, "use_dora", true, "DoRA adapters (use_dora: true)");
        refuse(file, root, "use_rslora", true, "rank-stabilized scaling (use_rslora: true)");
        refuse(file, root, "fan_in_fan_out", true, "fan_in_fan_out: true (Conv1D layers)");
        refuse(file, root, "lora_bias", true, "biases on lora_B (lora_bias: true)");
        JsonNode bias = root.path("bias");
        if (!bias.isMissingNode() && !bias.isNull() && !bias.asText().equals("none")) {
            throw new ModelLoadException(file + ": bias '" + bias.asText() + "' is not supported (only \"none\")");
        }
        JsonNode init = root.path("init_lora_weights");
        if (init.isTextual() && !List.of("gaussian", "eva").contains(init.asText())) {
            // PiSSA, OLoRA, CorDA, LoftQ and LoRA-GA rewrite the base weights at initialisation.
            throw new ModelLoadException(file + ": init_lora_weights \"" + init.asText()
                    + "\" adapters need the base weights that initialisation rewrote; convert the adapter to plain LoRA first");
        }
        for (String field : List.of("modules_to_save", "layers_to_transform", "rank_pattern", "alpha_pattern", "exclude_modules",
                "layer_replication", "trainable_token_indices", "target_parameters", "alora_invocation_tokens", "arrow_config",
                "use_bdlora")) {
            JsonNode value = root.path(field);
            boolean unset = value.isMissingNode() || value.isNull() || (value.isContainerNode() && value.isEmpty())
                    || (value.isTextual() && value.asText().isEmpty());
            if (!unset) throw new ModelLoadException(file + ": " + field + " " + value + " is not supported (leave it null)");
        }
        int r = intField(file, root, "r", 8);
        double alpha = numberField(file, root, "lora_alpha", 8);
        double dropout = numberField(file, root, "lora_dropout", 0);
        TargetModules targets = targetModules(file, root.path("target_modules"));
        try {
            return new LoraConfig(r, alpha, dropout, targets);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
    }

    private static TargetModules targetModules(Path file, JsonNode node) {
        try {
            if (node.isTextual()) {
                if (node.asText().equals("all-linear")) {
                    throw new ModelLoadException(file + ": target_modules \"all-linear\" is not supported; "
                            + "list the layers (e.g. [\"q_proj\", \"v_proj\"]) or give a regular expression");
                }
                return TargetModules.fromPattern(node.asText());
            }
            if (node.isArray() && !node.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (JsonNode name : node) {
                    if (!name.isTextual()) throw new ModelLoadException(file + ": target_modules holds " + name + ", not a module name");
                    names.add(name.asText());
                }
                return TargetModules.fromList(names);
            }
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
        throw new ModelLoadException(file + ": target_modules must be a regular expression or a non-empty list of module names, found "
                + (node.isMissingNode() ? "nothing" : node.toString()));
    }

    private static void refuse(Path file, JsonNode root, String field, boolean value, String what) {
        JsonNode node = root.path(field);
        if (node.isBoolean() && node.booleanValue() == value) throw new ModelLoadException(file + ": " + what + " is not supported");
    }

    private static int intField(Path file, JsonNode root, String field, int absent) {
        JsonNode node = root.path(field);
        if (node.isMissingNode()) return absent;
        if (!node.canConvertToInt() || !node.isIntegralNumber()) throw new ModelLoadException(file + ": " + field + " must be an integer, found " + node);
        return node.intValue();
    }

    private static double numberField(Path file, JsonNode root, String field, double absent) {
        JsonNode node = root.path(field);
        if (node.isMissingNode()) return absent;
        if (!node.isNumber()) throw new ModelLoadException(file + ": " + field + " must be a number, found " + node);
        return node.doubleValue();
    }
}
