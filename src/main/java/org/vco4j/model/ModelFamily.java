package org.vco4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.VlmProcessor;
import org.vco4j.model.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model family: one folder under {@code org.vco4j.model}, picked by {@code model_type} in config.json and
 * registered in {@code META-INF/services/org.vco4j.model.ModelFamily}. It owns every fact that differs
 * between families, so scoring, training and evaluation never name a weight or a token:
 * <ul>
 *   <li>its config classes and module tree ({@link #build});</li>
 *   <li>its checkpoint key layouts ({@link #moduleName}, {@link #checkpointKey});</li>
 *   <li>its processor: chat format, image processor, and how many feature slots an image placeholder
 *       expands to ({@link #processor});</li>
 *   <li>which weights are the vision tower and the projector, for freezing ({@link #isVisionTower},
 *       {@link #isProjector});</li>
 *   <li>where LoRA adapters go by default ({@link #defaultLoraTargets}, {@link #loraScope});</li>
 *   <li>tiny random checkpoints in its Hugging Face layout ({@link #writeTiny}).</li>
 * </ul>
 */
public interface ModelFamily {

    /** The {@code model_type} values this family loads. */
    List<String> modelTypes();

    /** The family's name (the {@code family} setting of {@code vco model init}). */
    String name();

    /** An unloaded model (parameters allocated, not filled) for a parsed config.json. */
    VisionLanguageModel build(JsonNode config, ParameterFactory factory);

    /**
     * The shape of every parameter {@link #build} would allocate for a config, computed without allocating: the
     * tree is built on libtorch's {@code meta} device. Fails like {@link #build} on an invalid config.
     */
    default Map<String, long[]> parameterShapes(JsonNode config) {
        try (PointerScope scope = new PointerScope()) {
            VisionLanguageModel skeleton = build(config, ParameterFactory.meta(ScalarType.Float));
            try {
                return WeightLoader.shapes(skeleton.module());
            } finally {
                skeleton.close();
            }
        }
    }

    /**
     * Config sections absent from config.json that this family fills with defaults, as transformers does (with a
     * note on what the defaults are), so that errors can say where unexpected shapes came from.
     */
    default List<String> defaultedKeys(JsonNode config) {
        return List.of();
    }

    /** Module name of a checkpoint key in any layout this family accepts; null for keys to skip. */
    String moduleName(String checkpointKey);

    /** Checkpoint key of a module name in the layout this project writes. */
    String checkpointKey(String moduleName, boolean legacyLayout);

    /**
     * The processor of the checkpoint in {@code folder} with this (validated) config.json: its chat template, its
     * image processor (from the folder's preprocessor_config.json), the expansion of each image placeholder into
     * the feature slots the model fills, and the longest sequence the model takes. Needs no weights, so data can
     * be checked against it before the model loads.
     */
    VlmProcessor processor(Path folder, JsonNode config, TextTokenizer tokenizer, long endOfSequenceId)
            throws IOException;

    /** Whether a parameter (by module name) belongs to the vision tower. */
    boolean isVisionTower(String parameterName);

    /** Whether a parameter (by module name) belongs to the projector from image features to text embeddings. */
    boolean isProjector(String parameterName);

    /** The layer names LoRA adapts when none are given ({@code target_modules}): the decoder's projections. */
    List<String> defaultLoraTargets();

    /** The submodules LoRA adapters stay inside (the language model), so the tower and projector keep their weights. */
    List<String> loraScope();

    /** Sizes accepted by {@link #writeTiny}. */
    List<String> tinySizes();

    /**
     * The models {@code vco model init --family} names for this family, each with the sizes it accepts: by default
     * the family's own name with {@link #tinySizes}. A family covering several published models names each (llava:
     * {@code llava} for LLaVA-1.5, {@code llava-interleave} for LLaVA-NeXT-Interleave).
     */
    default Map<String, List<String>> tinyModels() {
        return Map.of(name(), tinySizes());
    }

    /** The {@link #tinySizes} entry that {@code --family model --size size} writes (one of {@link #tinyModels}). */
    default String tinySize(String model, String size) {
        return size;
    }

    /** Writes a random checkpoint of the given size in the family's Hugging Face layout, deterministic per seed. */
    void writeTiny(Path folder, String size, long seed, boolean legacyLayout) throws IOException;

    /**
     * Writes a random checkpoint of any valid config.json of this family: the config as given (its
     * {@code torch_dtype} set to {@code dtype}), random weights of its shape ({@link RandomCheckpoint}) and processor
     * files whose special tokens sit at the config's ids, so pipelines and memory can be tried at real sizes.
     */
    void writeRandom(Path folder, JsonNode config, ScalarType dtype, long seed) throws IOException;
}
