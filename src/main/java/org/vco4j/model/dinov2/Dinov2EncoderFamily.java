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
    /** transformers' {@code IMAGENET_DEFAULT_MEAN} and {@code _STD}. */
    private static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    private static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

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

    /** BitImageProcessor as every hub DINOv2 folder sets it: shortest edge 256, centre crop 224, ImageNet statistics. */
    @Override
    public PreprocessorConfig hubPreprocessor(ObjectNode config) {
        return bitProcessor(256, 224);
    }

    /** The hub's BitImageProcessor scaled down: shortest edge 18, crop 16. */
    @Override
    public PreprocessorConfig tinyPreprocessor(String modelType) {
        return bitProcessor(18, 16);
    }

    private static PreprocessorConfig bitProcessor(int shortestEdge, int crop) {
        return PreprocessorConfig.builder().processorType(BIT_PROCESSOR).size(ImageSize.shortestEdge(shortestEdge))
                .cropSize(ImageSize.exact(crop, crop)).imageMean(IMAGENET_MEAN).imageStd(IMAGENET_STD).build();
    }
}
