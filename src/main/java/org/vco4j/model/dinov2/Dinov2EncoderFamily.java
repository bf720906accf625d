package org.vco4j.model.dinov2;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.model.encoder.ImageEncoder;
import org.vco4j.model.encoder.ImageEncoderFamily;
import org.vco4j.model.image.ImageSize;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;

import java.util.List;
import java.util.function.Predicate;

/**
 * DINOv2 as an image encoder: {@code pooler_output = layernorm(last_hidden_state)[:, 0]}, behind
 * {@code BitImageProcessor} (shortest-edge resize, centre crop, ImageNet mean and std). Reads {@code Dinov2Model}
 * folders, and {@code Dinov2ForImageClassification} ones (keys under {@code dinov2.}, the classifier skipped).
 */
public final class Dinov2EncoderFamily implements ImageEncoderFamily {
    /** The {@code image_processor_type} of DINOv2 checkpoints. */
    static final String BIT_PROCESSOR = "BitImageProcessor";
    private static final String BASE_MODEL_PREFIX = "dinov2.";

    @Override
    public List<String> modelTypes() {
        return List.of(Dinov2Config.MODEL_TYPE);
    }

    @Override
    public ImageEncoder create(ObjectNode config, Predicate<String> hasTensor, ParameterFactory factory) {
        return new Dinov2Model(factory, Dinov2Config.fromJson(config));
    }

    @Override
    public String moduleName(String key) {
        return key.startsWith(BASE_MODEL_PREFIX) ? key.substring(BASE_MODEL_PREFIX.length()) : key;
    }

    /** 20-pixel pre-training images in 4-pixel patches (5×5 positions), run at 16 pixels: positions interpolated. */
    @Override
    public ObjectNode tinyConfig(String modelType) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.putArray("architectures").add("Dinov2Model");
        config.setAll((ObjectNode) Json.MAPPER.valueToTree(Dinov2Config.of(8, 2, 2, 20, 4)));
        config.put("torch_dtype", "float32");
        return config;
    }

    /** BitImageProcessor as the hub's DINOv2 folders set it (shortest edge 256, crop 224), scaled down. */
    @Override
    public PreprocessorConfig tinyPreprocessor(String modelType) {
        return PreprocessorConfig.builder().processorType(BIT_PROCESSOR).size(ImageSize.shortestEdge(18))
                .cropSize(ImageSize.exact(16, 16)).imageMean(0.485, 0.456, 0.406).imageStd(0.229, 0.224, 0.225).build();
    }
}
