package org.vco4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.processing.ChatTemplate;

import java.nio.file.Path;
import java.util.List;

/**
 * A model family (one folder, picked by {@code model_type} in config.json): how to build its module tree
 * from a config, how checkpoint keys map to module names, its chat format, and tiny random checkpoints.
 */
public interface ModelFamily {

    /** The {@code model_type} values this family loads. */
    List<String> modelTypes();

    /** The name used by {@code vco model init --family}. */
    String name();

    /** An unloaded model (parameters allocated, not filled) for a parsed config.json. */
    VisionLanguageModel build(JsonNode config, ParameterFactory factory);

    /** Module name of a checkpoint key in any layout this family accepts; null for keys to skip. */
    String moduleName(String checkpointKey);

    /** Checkpoint key of a module name in the layout this project writes. */
    String checkpointKey(String moduleName, boolean legacyLayout);

    ChatTemplate chatTemplate();

    /** Sizes accepted by {@link #writeTiny}. */
    List<String> tinySizes();

    /** Writes a random checkpoint of the given size in the family's Hugging Face layout, deterministic per seed. */
    void writeTiny(Path folder, String size, long seed, boolean legacyLayout) throws java.io.IOException;
}
