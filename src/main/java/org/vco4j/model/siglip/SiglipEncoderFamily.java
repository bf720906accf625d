package org.vco4j.model.siglip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.encoder.ImageEncoder;
import org.vco4j.model.encoder.ImageEncoderFamily;
import org.vco4j.model.encoder.TextTowers;
import org.vco4j.model.image.ImageSize;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoderSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SigLIP as an image encoder: {@code pooler_output}, the multihead-attention pooling head over the tower's
 * {@code post_layernorm} tokens ({@code SiglipModel.get_image_features}). Reads a full {@code SiglipModel} folder
 * ({@code siglip}: its {@code vision_config}, the text tower skipped) or a {@code siglip_vision_model} folder; either
 * needs {@code vision_use_head} (true by default), since a tower without the head has no pooled output.
 */
public final class SiglipEncoderFamily implements ImageEncoderFamily {
    static final String SIGLIP = "siglip";
    static final String SIGLIP_VISION_MODEL = "siglip_vision_model";

    @Override
    public List<String> modelTypes() {
        return List.of(SIGLIP, SIGLIP_VISION_MODEL);
    }

    @Override
    public ImageEncoder create(ObjectNode config, Predicate<String> hasTensor, ParameterFactory factory) {
        boolean full = SIGLIP.equals(config.path("model_type").asText());
        JsonNode node = full ? config.get("vision_config") : config;
        String where = full ? "vision_config" : "config";
        SiglipVisionConfig vision;
        if (node == null) {
            vision = new SiglipVisionConfig();
        } else if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object, got " + node);
        } else {
            try {
                vision = ConfigJson.read(node, SiglipVisionConfig.class);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException((full ? where + "." : "") + e.getMessage(), e);
            }
        }
        return SiglipVisionModel.withHead(factory, vision);
    }

    @Override
    public ObjectNode tinyConfig(String modelType) {
        SiglipVisionConfig vision = SiglipVisionConfig.of(8, 16, 2, 2, 16, 4);
        vision.visionUseHead = true;
        ObjectNode visionJson = Json.MAPPER.valueToTree(vision);
        ObjectNode config = Json.MAPPER.createObjectNode();
        if (SIGLIP_VISION_MODEL.equals(modelType)) {
            config.putArray("architectures").add("SiglipVisionModel");
            config.setAll(visionJson);
            config.put("torch_dtype", "float32");
            return config;
        }
        config.putArray("architectures").add("SiglipModel");
        config.put("model_type", SIGLIP);
        ObjectNode text = config.putObject("text_config");
        text.put("hidden_act", "gelu_pytorch_tanh").put("hidden_size", 8).put("intermediate_size", 16)
                .put("layer_norm_eps", 1e-6).put("max_position_embeddings", 8).put("model_type", "siglip_text_model")
                .put("num_attention_heads", 2).put("num_hidden_layers", 1).put("projection_size", 8).put("vocab_size", 32);
        config.put("torch_dtype", "float32");
        config.set("vision_config", visionJson);
        return config;
    }

    /** SiglipImageProcessor: an exact resize to the tower's {@code image_size}, mean and std 0.5. */
    @Override
    public PreprocessorConfig hubPreprocessor(ObjectNode config) {
        boolean full = SIGLIP.equals(config.path("model_type").asText());
        JsonNode vision = full ? config.get("vision_config") : config;
        int size = vision == null || !vision.has("image_size") ? new SiglipVisionConfig().imageSize : vision.get("image_size").asInt();
        return PreprocessorConfig.siglipBuilder().size(ImageSize.exact(size, size)).build();
    }

    @Override
    public PreprocessorConfig tinyPreprocessor(String modelType) {
        return hubPreprocessor(tinyConfig(modelType));
    }

    /** {@code SiglipModel}'s text tower with its {@code head}, {@code logit_scale} and {@code logit_bias}. */
    @Override
    public Map<String, long[]> tinyUnusedTensors(String modelType) {
        if (!SIGLIP.equals(modelType)) return Map.of();
        Map<String, long[]> shapes = new LinkedHashMap<>(TextTowers.shapes(
                new VitEncoderSpec(8, 2, 16, "gelu_pytorch_tanh", 1e-6, 1), 32, 8));
        shapes.put("text_model.head.weight", new long[] {8, 8});
        shapes.put("text_model.head.bias", new long[] {8});
        shapes.put("logit_scale", new long[] {1});
        shapes.put("logit_bias", new long[] {1});
        return shapes;
    }
}
