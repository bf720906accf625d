package org.vco4j.model.encoder;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One kind of image encoder, found by config.json's {@code model_type} through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.vco4j.model.encoder.ImageEncoderFamily}); kept apart from the vision-language
 * families, which are {@link org.vco4j.model.ModelFamily}s.
 */
public interface ImageEncoderFamily {

    /** The {@code model_type}s it reads (e.g. {@code clip} and {@code clip_vision_model}). */
    List<String> modelTypes();

    /**
     * Builds the encoder a config.json describes, with zero weights, on the factory's device and dtype.
     *
     * @param config        config.json
     * @param hasTensor     whether the checkpoint holds a tensor of this key (optional parts such as CLIP's
     *                      {@code visual_projection} are built when their weights are there)
     * @throws IllegalArgumentException naming the key of a bad or unsupported setting
     */
    ImageEncoder create(ObjectNode config, Predicate<String> hasTensor, ParameterFactory factory);

    /** The parameter a checkpoint key fills (the key itself unless the family knows another layout). */
    default String moduleName(String key) {
        return key;
    }

    /** config.json of a tiny model of {@code modelType}, in exactly the Hugging Face layout. */
    ObjectNode tinyConfig(String modelType);

    /** The preprocessor_config.json the hub ships with an encoder of this config. */
    PreprocessorConfig hubPreprocessor(ObjectNode config);

    /** preprocessor_config.json of the tiny model. */
    PreprocessorConfig tinyPreprocessor(String modelType);

    /**
     * Tensors of a full folder that the encoder does not use (the text tower of {@code clip} and {@code siglip}),
     * by key and shape, so a tiny folder has every key the real one has.
     */
    default Map<String, long[]> tinyUnusedTensors(String modelType) {
        return Map.of();
    }
}
