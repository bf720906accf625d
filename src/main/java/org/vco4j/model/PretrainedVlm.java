package org.vco4j.model;

import org.vco4j.common.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.model.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face checkpoint folder loaded for use: the model with its weights and the processor
 * (tokenizer, image processor, chat template) that turns conditions into its inputs.
 *
 * <p>Owns native memory (weights, tokenizer); close it when done.
 */
public final class PretrainedVlm implements AutoCloseable {
    public static final String CONFIG_FILE = "config.json";

    private final Path folder;
    private final ModelFamily family;
    private final VisionLanguageModel model;
    private final VlmProcessor processor;
    private final TextTokenizer tokenizer;

    private PretrainedVlm(Path folder, ModelFamily family, VisionLanguageModel model, VlmProcessor processor,
                          TextTokenizer tokenizer) {
        this.folder = folder;
        this.family = family;
        this.model = model;
        this.processor = processor;
        this.tokenizer = tokenizer;
    }

    /** Reads config.json, builds the family's model, loads and checks every weight, and the processor. */
    public static PretrainedVlm load(Path folder, ParameterFactory factory) {
        if (!Files.isDirectory(folder)) throw new ModelLoadException(folder + ": not a checkpoint folder (no such directory)");
        JsonNode config = readConfig(folder.resolve(CONFIG_FILE));
        String modelType = config.path("model_type").asText(null);
        if (modelType == null) throw new ModelLoadException(folder.resolve(CONFIG_FILE) + ": no \"model_type\" field");
        ModelFamily family = ModelFamilies.forModelType(modelType, folder.resolve(CONFIG_FILE).toString());
        VisionLanguageModel model;
        try {
            model = family.build(config, factory);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(folder.resolve(CONFIG_FILE) + ": " + e.getMessage(), e);
        }
        TextTokenizer tokenizer = null;
        try (WeightSource weights = SafetensorsWeights.open(folder)) {
            List<String> unused = WeightLoader.load(model.module(), weights, family::moduleName);
            if (!unused.isEmpty()) {
                System.err.println("warning: " + folder + ": " + unused.size() + " checkpoint tensor(s) matched no parameter, e.g. "
                        + unused.get(0));
            }
            tokenizer = TextTokenizer.load(folder);
            Path tokenizerFile = folder.resolve("tokenizer.json");
            long eos = tokenizer.eosTokenId().orElseThrow(() -> new ModelLoadException(tokenizerFile
                    + ": no end-of-sequence token (eos_token in tokenizer_config.json or special_tokens_map.json)"));
            VlmProcessor processor = family.processor(folder, model, tokenizer, eos);
            return new PretrainedVlm(folder, family, model, processor, tokenizer);
        } catch (IOException e) {
            model.close();
            if (tokenizer != null) tokenizer.close();
            throw new ModelLoadException(e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            if (tokenizer != null) tokenizer.close();
            throw e;
        }
    }

    private static JsonNode readConfig(Path file) {
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

    public Path folder() { return folder; }
    public ModelFamily family() { return family; }
    public VisionLanguageModel model() { return model; }
    public VlmProcessor processor() { return processor; }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }
}
