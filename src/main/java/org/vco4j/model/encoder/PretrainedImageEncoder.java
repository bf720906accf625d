package org.vco4j.model.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.vco4j.common.AtomicFolder;
import org.vco4j.common.Json;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.SafetensorsWeights;
import org.vco4j.model.WeightLoader;
import org.vco4j.model.WeightSource;
import org.vco4j.model.image.ImageProcessor;
import org.vco4j.model.image.PreprocessorConfig;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.model.nn.RandomInit;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image encoder loaded from its own Hugging Face folder (config.json, safetensors weights,
 * preprocessor_config.json), picked by {@code model_type}: images in, L2-normalised embeddings out. Owns the
 * encoder's native memory; close it.
 */
public final class PretrainedImageEncoder implements AutoCloseable {
    /** Standard deviation of a tiny encoder's random weights: large enough that different images differ. */
    static final double TINY_STD = 0.3;

    private final Path folder;
    private final String modelType;
    private final ImageEncoder encoder;
    private final ImageProcessor processor;
    private final ParameterFactory factory;

    private PretrainedImageEncoder(Path folder, String modelType, ImageEncoder encoder, ImageProcessor processor,
                                   ParameterFactory factory) {
        this.folder = folder;
        this.modelType = modelType;
        this.encoder = encoder;
        this.processor = processor;
        this.factory = factory;
    }

    /**
     * Reads config.json and preprocessor_config.json, builds the encoder its {@code model_type} names and loads its
     * weights (tensors it does not use, such as a text tower, are skipped).
     *
     * @throws ModelLoadException naming the file and key or tensor of anything missing or malformed
     */
    public static PretrainedImageEncoder load(Path folder, ParameterFactory factory) {
        Path configFile = folder.resolve(PretrainedVlm.CONFIG_FILE);
        JsonNode config = PretrainedVlm.readConfigFile(configFile);
        JsonNode type = config.get("model_type");
        if (type == null || !type.isTextual()) throw new ModelLoadException(configFile + ": model_type must be a string, got " + type);
        ImageEncoderFamily family = ImageEncoderFamilies.forModelType(type.textValue(), configFile.toString());
        PreprocessorConfig preprocessor;
        try {
            preprocessor = PreprocessorConfig.read(folder);
        } catch (IOException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        try (WeightSource weights = SafetensorsWeights.open(folder)) {
            ImageEncoder encoder;
            try {
                encoder = family.create((ObjectNode) config, weights.names()::contains, factory);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(configFile + ": " + e.getMessage(), e);
            }
            try {
                WeightLoader.load(encoder.module(), weights, family::moduleName);
            } catch (RuntimeException e) {
                encoder.close();
                throw e;
            }
            return new PretrainedImageEncoder(folder, type.textValue(), encoder, new ImageProcessor(preprocessor), factory);
        }
    }

    public Path folder() { return folder; }
    public String modelType() { return modelType; }
    public ImageProcessor processor() { return processor; }
    public ImageEncoder encoder() { return encoder; }

    /** The width of one embedding. */
    public int embeddingSize() {
        return encoder.embeddingSize();
    }

    /**
     * One L2-normalised embedding per image (float32, the norm taken in double precision), computed in one forward
     * pass. The images must preprocess to one size (they do whenever the processor crops or resizes exactly).
     */
    public float[][] embed(List<RgbImage> images) {
        if (images.isEmpty()) return new float[0][];
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            List<Tensor> pixels = new ArrayList<>(images.size());
            for (RgbImage image : images) {
                Tensor p = processor.preprocess(image);
                if (!pixels.isEmpty() && !java.util.Arrays.equals(Tensors.shape(p), Tensors.shape(pixels.get(0)))) {
                    throw new IllegalArgumentException("image " + pixels.size() + " of the batch preprocesses to "
                            + p.size(2) + "×" + p.size(1) + " pixels but image 0 to " + pixels.get(0).size(2) + "×"
                            + pixels.get(0).size(1) + " (the preprocessor neither crops nor resizes to an exact size)");
                }
                pixels.add(p);
            }
            Tensor batch = Tensors.upload(Tensors.stack(pixels, 0), factory.device(), factory.dtype());
            Tensor embeddings = encoder.imageEmbeddings(batch).to(ScalarType.Float).cpu().contiguous();
            return normalizedRows(Tensors.toFloatArray(embeddings), images.size());
        }
    }

    /** Rows of {@code flat} divided by their Euclidean norm ({@code F.normalize}'s 1e-12 floor). */
    static float[][] normalizedRows(float[] flat, int rows) {
        int width = flat.length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int i = 0; i < width; i++) sum += (double) flat[r * width + i] * flat[r * width + i];
            double norm = Math.max(Math.sqrt(sum), 1e-12);
            for (int i = 0; i < width; i++) out[r][i] = (float) (flat[r * width + i] / norm);
        }
        return out;
    }

    /**
     * Writes a tiny random encoder of {@code modelType} to {@code target} in exactly the Hugging Face layout
     * (config.json, model.safetensors with the real keys, a full folder's unused text tower included,
     * preprocessor_config.json), atomically; deterministic per seed.
     */
    public static void writeTiny(String modelType, Path target, boolean replace, long seed) throws IOException {
        ImageEncoderFamily family = ImageEncoderFamilies.forModelType(modelType, "tiny encoder");
        write(family.tinyConfig(modelType), family.tinyPreprocessor(modelType), family.tinyUnusedTensors(modelType),
                TINY_STD, target, replace, seed);
    }

    /**
     * Writes random weights of exactly the shape a real encoder config.json gives (normal(0, 0.02) matrices, as
     * transformers initialises them), with the preprocessor the hub pairs with it, so speed and memory can be tried
     * at real sizes without real weights. A full {@code clip} or {@code siglip} config gets its vision weights only.
     *
     * @return the config's {@code model_type}
     */
    public static String writeRandom(Path configFile, Path target, boolean replace, long seed) throws IOException {
        JsonNode config = PretrainedVlm.readConfigFile(configFile);
        String modelType = config.path("model_type").asText();
        ImageEncoderFamily family = ImageEncoderFamilies.forModelType(modelType, configFile.toString());
        PreprocessorConfig preprocessor;
        try (PointerScope scope = new PointerScope();
             ImageEncoder probe = family.create((ObjectNode) config, key -> true, ParameterFactory.meta(ScalarType.Float))) {
            preprocessor = family.hubPreprocessor((ObjectNode) config);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(configFile + ": " + e.getMessage(), e);
        }
        write((ObjectNode) config, preprocessor, Map.of(), org.vco4j.model.RandomCheckpoint.STD, target, replace, seed);
        return modelType;
    }

    private static void write(ObjectNode config, PreprocessorConfig preprocessor, Map<String, long[]> unusedTensors,
                              double std, Path target, boolean replace, long seed) throws IOException {
        ImageEncoderFamily family = ImageEncoderFamilies.forModelType(config.path("model_type").asText(), "encoder config");
        AtomicFolder.write(target, replace, staging -> {
            Files.write(staging.resolve(PretrainedVlm.CONFIG_FILE),
                    (Json.PRETTY.writeValueAsString(config) + "\n").getBytes(StandardCharsets.UTF_8));
            preprocessor.write(staging);
            try (PointerScope scope = new PointerScope();
                 ImageEncoder encoder = family.create(config, key -> true, ParameterFactory.cpuFloat32())) {
                RandomInit.apply(encoder.module(), seed, std);
                Map<String, Tensor> tensors = new LinkedHashMap<>(encoder.module().namedParameters());
                long index = 0;
                for (Map.Entry<String, long[]> unused : unusedTensors.entrySet()) {
                    org.bytedeco.pytorch.global.torch.manual_seed(seed * 1_000_003L + index++);
                    tensors.put(unused.getKey(), org.bytedeco.pytorch.global.torch.randn(unused.getValue()));
                }
                SafetensorsWriter.write(staging.resolve("model.safetensors"), tensors);
            }
        });
    }

    @Override
    public void close() {
        encoder.close();
    }
}
