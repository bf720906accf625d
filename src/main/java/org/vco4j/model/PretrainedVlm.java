package org.vco4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.common.Json;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.model.tokenizer.TextTokenizer;
import org.vco4j.tensor.safetensors.SafetensorsDType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A Hugging Face checkpoint folder loaded for use: the model with its weights and the processor
 * (tokenizer, image processor, chat template) that turns conditions into its inputs.
 *
 * <p>Owns native memory (weights, tokenizer); close it when done.
 */
public record PretrainedVlm(Path folder, ModelFamily family, VisionLanguageModel model, VlmProcessor processor,
                            TextTokenizer tokenizer) implements AutoCloseable {
    public static final String CONFIG_FILE = "config.json";

    /**
     * Reads and validates config.json, checks every parameter's shape and dtype against the safetensors headers and
     * the model's size against the memory available, and only then builds the model, loads its weights and the
     * processor. A bad folder fails with a {@link ModelLoadException} naming the file and key or tensor, before any
     * parameter is allocated.
     */
    public static PretrainedVlm load(Path folder, ParameterFactory factory) {
        return load(folder, factory, MemoryBudget::available);
    }

    static PretrainedVlm load(Path folder, ParameterFactory factory, Supplier<MemoryBudget.Available> memory) {
        Path configFile = folder.resolve(CONFIG_FILE);
        JsonNode config = readConfig(folder);
        ModelFamily family = family(config, configFile);
        Map<String, long[]> shapes;
        try {
            shapes = family.parameterShapes(config);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(configFile + ": " + e.getMessage() + defaultsNote(family, config, configFile), e);
        }
        VisionLanguageModel model = null;
        TextTokenizer tokenizer = null;
        try (WeightSource weights = SafetensorsWeights.open(folder)) {
            WeightLoader.Match match;
            try {
                match = WeightLoader.check(shapes, weights, family::moduleName);
            } catch (ModelLoadException e) {
                String note = defaultsNote(family, config, configFile);
                if (note.isEmpty()) throw e;
                throw new ModelLoadException(e.getMessage() + note, e);
            }
            if (factory.isCpu()) {
                long count = 0;
                for (long[] shape : shapes.values()) count += numel(shape);
                int elementSize = SafetensorsDType.fromScalarType(factory.dtype()).map(SafetensorsDType::byteSize).orElse(4);
                MemoryBudget.require(configFile.toString(), count, count * elementSize,
                        dtypeName(factory.dtype()), memory.get());
            }
            try {
                model = family.build(config, factory);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(configFile + ": " + e.getMessage(), e);
            }
            List<String> unused = WeightLoader.load(model.module(), weights, family::moduleName);
            if (!unused.isEmpty()) {
                System.err.println("warning: " + folder + ": " + unused.size() + " checkpoint tensor(s) matched no parameter, e.g. "
                        + unused.get(0));
            }
            tokenizer = TextTokenizer.load(folder);
            VlmProcessor processor = family.processor(folder, config, tokenizer, endOfSequence(folder, tokenizer));
            return new PretrainedVlm(folder, family, model, processor, tokenizer);
        } catch (IOException e) {
            if (model != null) model.close();
            if (tokenizer != null) tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            if (model != null) model.close();
            if (tokenizer != null) tokenizer.close();
            throw e;
        }
    }

    /** A checkpoint's processor without its weights; owns the tokenizer (native memory): close it when done. */
    public record ProcessorOnly(VlmProcessor processor, TextTokenizer tokenizer) implements AutoCloseable {
        @Override
        public void close() {
            tokenizer.close();
        }
    }

    /**
     * The processor of the checkpoint in {@code folder} (validated config.json, tokenizer, image processor) without
     * loading a weight: what data is checked against (prompt lengths) before the model loads.
     */
    public static ProcessorOnly processorOnly(Path folder) {
        Path configFile = folder.resolve(CONFIG_FILE);
        JsonNode config = readConfig(folder);
        ModelFamily family = family(config, configFile);
        TextTokenizer tokenizer = null;
        try {
            tokenizer = TextTokenizer.load(folder);
            return new ProcessorOnly(family.processor(folder, config, tokenizer, endOfSequence(folder, tokenizer)), tokenizer);
        } catch (IllegalArgumentException e) {
            if (tokenizer != null) tokenizer.close();
            throw new ModelLoadException(configFile + ": " + e.getMessage(), e);
        } catch (IOException e) {
            if (tokenizer != null) tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            if (tokenizer != null) tokenizer.close();
            throw e;
        }
    }

    private static long endOfSequence(Path folder, TextTokenizer tokenizer) {
        return tokenizer.eosTokenId().orElseThrow(() -> new ModelLoadException(folder.resolve("tokenizer.json")
                + ": no end-of-sequence token (eos_token in tokenizer_config.json or special_tokens_map.json)"));
    }

    /** Where unexpected values may come from: sections config.json lacks, which the family filled with defaults. */
    private static String defaultsNote(ModelFamily family, JsonNode config, Path configFile) {
        List<String> defaulted = family.defaultedKeys(config);
        return defaulted.isEmpty() ? "" : "; note: " + configFile + " has no " + String.join(" and no ", defaulted);
    }

    /** PyTorch's name of a dtype (float32, bfloat16, …). */
    private static String dtypeName(org.bytedeco.pytorch.global.torch.ScalarType type) {
        return switch (SafetensorsDType.fromScalarType(type).map(SafetensorsDType::code).orElse("")) {
            case "F32" -> "float32";
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            case "F64" -> "float64";
            default -> type.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** The family named by config.json's {@code model_type}. */
    static ModelFamily family(JsonNode config, Path configFile) {
        String modelType = config.path("model_type").asText(null);
        if (modelType == null) throw new ModelLoadException(configFile + ": no \"model_type\" field");
        return ModelFamilies.forModelType(modelType, configFile.toString());
    }

    /** config.json of a checkpoint folder, as a JSON object. */
    private static JsonNode readConfig(Path folder) {
        if (!Files.isDirectory(folder)) throw new ModelLoadException(folder + ": not a checkpoint folder (no such directory)");
        return readConfigFile(folder.resolve(CONFIG_FILE));
    }

    /** A config.json file, as a JSON object. */
    public static JsonNode readConfigFile(Path file) {
        if (!Files.isRegularFile(file)) throw new ModelLoadException(file + ": not found");
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            if (node == null || !node.isObject()) throw new ModelLoadException(file + ": not a JSON object");
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelLoadException(file + ": malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
