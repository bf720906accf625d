package org.vco4j.model.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.Json;
import org.vco4j.model.ConfigJson;
import org.vco4j.model.ConfigValues;
import org.vco4j.model.encoder.ImageEncoder;
import org.vco4j.model.encoder.ImageEncoderFamily;
import org.vco4j.model.encoder.TextTowers;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.vit.VitEncoderSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CLIP as an image encoder: {@code image_embeds = visual_projection(post_layernorm(CLS))}. Reads a full
 * {@code CLIPModel} folder ({@code clip}: its {@code vision_config}, the top-level {@code projection_dim}, the text
 * tower skipped) or a {@code clip_vision_model} folder ({@code CLIPVisionModelWithProjection} when it holds
 * {@code visual_projection.weight}, else {@code CLIPVisionModel}'s pooled output).
 */
public final class ClipEncoderFamily implements ImageEncoderFamily {
    static final String CLIP = "clip";
    static final String CLIP_VISION_MODEL = "clip_vision_model";
    private static final String PROJECTION_KEY = "visual_projection.weight";

    @Override
    public List<String> modelTypes() {
        return List.of(CLIP, CLIP_VISION_MODEL);
    }

    @Override
    public ImageEncoder create(ObjectNode config, Predicate<String> hasTensor, ParameterFactory factory) {
        boolean full = CLIP.equals(config.path("model_type").asText());
        ClipVisionConfig vision = visionConfig(full ? config.get("vision_config") : config, full ? "vision_config" : "");
        Integer projectionDim;
        if (full) {
            JsonNode dim = config.get("projection_dim");
            if (dim != null && !dim.isInt()) throw new IllegalArgumentException("projection_dim must be an integer, got " + dim);
            projectionDim = ConfigValues.range("projection_dim", dim == null ? 512 : dim.intValue(), 1, ConfigValues.MAX_HIDDEN_SIZE);
        } else {
            projectionDim = hasTensor.test(PROJECTION_KEY) ? vision.projectionDim : null;
            if (hasTensor.test(PROJECTION_KEY) && projectionDim == null) {
                throw new IllegalArgumentException("projection_dim is null but the weights hold " + PROJECTION_KEY);
            }
        }
        return new ClipVisionModel(factory, vision, projectionDim);
    }

    private static ClipVisionConfig visionConfig(JsonNode node, String where) {
        String prefix = where.isEmpty() ? "" : where + ".";
        if (node == null) return new ClipVisionConfig();
        if (!node.isObject()) throw new IllegalArgumentException(where + " must be an object, got " + node);
        ClipVisionConfig vision;
        try {
            vision = ConfigJson.read(node, ClipVisionConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + e.getMessage(), e);
        }
        vision.validate(where.isEmpty() ? "config" : where);
        return vision;
    }

    @Override
    public ObjectNode tinyConfig(String modelType) {
        ClipVisionConfig vision = ClipVisionConfig.of(8, 16, 2, 2, 16, 4, 6);
        ObjectNode visionJson = Json.MAPPER.valueToTree(vision);
        if (CLIP_VISION_MODEL.equals(modelType)) {
            ObjectNode config = Json.MAPPER.createObjectNode();
            config.putArray("architectures").add("CLIPVisionModelWithProjection");
            config.setAll(visionJson);
            config.put("torch_dtype", "float32");
            return config;
        }
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.putArray("architectures").add("CLIPModel");
        config.put("logit_scale_init_value", 2.6592);
        config.put("model_type", CLIP);
        config.put("projection_dim", 6);
        ObjectNode text = config.putObject("text_config");
        text.put("hidden_act", "quick_gelu").put("hidden_size", 8).put("intermediate_size", 16)
                .put("layer_norm_eps", 1e-5).put("max_position_embeddings", 8).put("model_type", "clip_text_model")
                .put("num_attention_heads", 2).put("num_hidden_layers", 1).put("projection_dim", 6).put("vocab_size", 32);
        config.put("torch_dtype", "float32");
        config.set("vision_config", visionJson);
        return config;
    }

    /** CLIPImageProcessor: shortest edge and centre crop at the tower's {@code image_size}, CLIP's statistics. */
    @Override
    public PreprocessorConfig hubPreprocessor(ObjectNode config) {
        boolean full = CLIP.equals(config.path("model_type").asText());
        return PreprocessorConfig.builder().resolution(visionConfig(full ? config.get("vision_config") : config, full ? "vision_config" : "").imageSize).build();
    }

    @Override
    public PreprocessorConfig tinyPreprocessor(String modelType) {
        return hubPreprocessor(tinyConfig(modelType));
    }

    /** {@code CLIPModel}'s text tower, {@code text_projection} and {@code logit_scale}. */
    @Override
    public Map<String, long[]> tinyUnusedTensors(String modelType) {
        if (!CLIP.equals(modelType)) return Map.of();
        Map<String, long[]> shapes = new LinkedHashMap<>(TextTowers.shapes(
                new VitEncoderSpec(8, 2, 16, "quick_gelu", 1e-5, 1), 32, 8));
        shapes.put("text_projection.weight", new long[] {6, 8});
        shapes.put("logit_scale", new long[] {});
        return shapes;
    }
}
