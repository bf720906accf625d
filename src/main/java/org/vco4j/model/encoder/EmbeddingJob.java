package org.vco4j.model.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.common.PartialRun;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Folders;
import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.tensor.Tensors;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vco embed}: L2-normalised embeddings of many images with one encoder, written to one safetensors file.
 *
 * <p>The output holds the tensor {@value #EMBEDDINGS} [images, dim] (float32) and, in its {@code __metadata__},
 * {@value #IDS}: a JSON array of the image ids (paths) in row order, sorted; also the encoder's {@code model_type}.
 * Python reads it with {@code safe_open(f, "pt")}: {@code .get_tensor("embeddings")} and
 * {@code json.loads(.metadata()["ids"])}.
 *
 * <p>Resumable: each finished batch is kept (written atomically) in the folder {@code OUT.partial} next to the
 * output, with a manifest of the run (encoder, batch size, ids). A rerun with the same options continues after the
 * last finished batch; the final file is written atomically and the partial folder removed. Batches are the same
 * in both runs, so a resumed file equals an uninterrupted run's byte for byte.
 */
public final class EmbeddingJob {
    /** The tensor name of the embeddings. */
    public static final String EMBEDDINGS = "embeddings";
    /** The metadata key of the ids. */
    public static final String IDS = "ids";
    private static final String MANIFEST = "manifest.json";

    /**
     * What a run did.
     *
     * @param images   embeddings in the output
     * @param resumed  of those, read back from a partial run
     * @param seconds  wall time of the embedding (loading excluded)
     * @param dimension width of an embedding
     */
    public record Result(int images, int resumed, double seconds, int dimension) {
        /** Images embedded per second in this run (resumed ones not counted). */
        public double imagesPerSecond() {
            return seconds > 0 ? (images - resumed) / seconds : 0;
        }
    }

    private EmbeddingJob() {}

    /**
     * Embeds every image of {@code images} (a folder or a list file) with the encoder in {@code encoderFolder} and
     * writes {@code out}. Every image's header is checked before the encoder loads.
     *
     * @throws IllegalArgumentException for bad options, or a partial run made with other options
     * @throws IOException naming the image file that cannot be read
     */
    public static Result run(Path encoderFolder, ParameterFactory factory, Path images, Path out, int batchSize) throws IOException {
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        AtomicFiles.checkTarget(out);
        ImageList list = ImageList.read(images);
        for (Path file : list.files()) ImageLoader.checkHeader(file);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (PretrainedImageEncoder encoder = PretrainedImageEncoder.load(encoderFolder, factory)) {
            ObjectNode manifest = manifest(encoder, list, batchSize);
            int batches = (list.size() + batchSize - 1) / batchSize;
            int done = resumedBatches(partial, manifest, batches);
            int resumed = Math.min(list.size(), done * batchSize);
            ProgressBar progress = new ProgressBar("embed", list.size(), "images");
            progress.start(resumed, resumed);
            long start = System.nanoTime();
            for (int b = done; b < batches; b++) {
                int from = b * batchSize;
                int to = Math.min(list.size(), from + batchSize);
                List<RgbImage> batch = new ArrayList<>(to - from);
                for (Path file : list.files().subList(from, to)) batch.add(ImageLoader.load(file));
                float[][] embeddings = encoder.embed(batch);
                writeBatch(partial.resolve(batchFile(b)), embeddings);
                progress.update(to, to, Double.NaN);
            }
            progress.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            writeOutput(out, partial, batches, list, encoder.modelType());
            Folders.deleteRecursively(partial);
            return new Result(list.size(), resumed, seconds, encoder.embeddingSize());
        }
    }

    /**
     * The contents of an embeddings file: the ids in row order and all rows in one row-major array, as read.
     *
     * @param rows [ids, dimension], row {@code i} belonging to {@code ids.get(i)}
     */
    public record Embeddings(List<String> ids, int dimension, float[] rows) {
        /** A copy of the row of {@code id}, or null when the file has no such id. */
        public float[] row(String id) {
            int i = ids.indexOf(id);
            return i < 0 ? null : java.util.Arrays.copyOfRange(rows, i * dimension, (i + 1) * dimension);
        }
    }

    /**
     * The ids and rows of {@code file}, as {@link #run} writes them. The rows are streamed from the file into one
     * array (the only copy in memory); the caller checks that the shape fits the ids.
     *
     * @throws IllegalArgumentException when the file has no {@value #EMBEDDINGS} tensor, no {@value #IDS}
     *                                  metadata, or a tensor that is not a float32 matrix
     * @throws com.fasterxml.jackson.core.JsonProcessingException when {@value #IDS} is not a JSON list of strings
     */
    public static Embeddings read(Path file) throws IOException {
        try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
            String ids = safetensors.metadata().get(IDS);
            if (ids == null || !safetensors.contains(EMBEDDINGS)) {
                throw new IllegalArgumentException(file + ": not an embeddings file of vco embed (no \"" + EMBEDDINGS
                        + "\" tensor or no \"" + IDS + "\" in its metadata)");
            }
            List<String> names = Json.MAPPER.readValue(ids, new TypeReference<List<String>>() {});
            long[] shape = safetensors.info(EMBEDDINGS).shape();
            if (shape.length != 2) {
                throw new IllegalArgumentException(file + ": tensor \"" + EMBEDDINGS + "\" has shape " + java.util.Arrays.toString(shape)
                        + "; expected [ids, dim]");
            }
            return new Embeddings(List.copyOf(names), (int) shape[1], safetensors.readFloats(EMBEDDINGS));
        }
    }

    private static ObjectNode manifest(PretrainedImageEncoder encoder, ImageList list, int batchSize) {
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        manifest.put("encoder", encoder.folder().toAbsolutePath().normalize().toString());
        manifest.put("model_type", encoder.modelType());
        manifest.put("batch_size", batchSize);
        list.ids().forEach(manifest.putArray(IDS)::add);
        return manifest;
    }

    /**
     * The number of finished batches a partial run left (0 when there is none, after creating its folder and
     * manifest); refuses a partial run made with another encoder, batch size or image list.
     */
    private static int resumedBatches(Path partial, ObjectNode manifest, int batches) throws IOException {
        JsonNode previous = PartialRun.resume(partial, MANIFEST, manifest);
        if (previous == null) return 0;
        Map<String, String> settings = Map.of("encoder", "encoder", "model_type", "encoder type", "batch_size", "batch size",
                IDS, "image list");
        for (String key : List.of("encoder", "model_type", "batch_size", IDS)) {
            if (!manifest.get(key).equals(previous.get(key))) {
                throw new IllegalArgumentException(partial + " holds an interrupted run with another " + settings.get(key)
                        + " (" + abbreviated(String.valueOf(previous.get(key))) + "); rerun with its options or delete it");
            }
        }
        return PartialRun.finished(partial, batches, EmbeddingJob::batchFile);
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String batchFile(int batch) {
        return String.format("batch-%06d.safetensors", batch);
    }

    private static void writeBatch(Path file, float[][] rows) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            SafetensorsWriter.write(file, Map.of(EMBEDDINGS, matrix(rows)));
        }
    }

    private static Tensor matrix(float[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * width, width);
        return Tensors.floats(flat, rows.length, width);
    }

    /** Concatenates the batches into {@code out}, atomically, with the ids in the metadata. */
    private static void writeOutput(Path out, Path partial, int batches, ImageList list, String modelType) throws IOException {
        try (PointerScope scope = new PointerScope()) {
            List<Tensor> parts = new ArrayList<>(batches);
            for (int b = 0; b < batches; b++) {
                try (SafetensorsFile file = SafetensorsFile.open(partial.resolve(batchFile(b)))) {
                    parts.add(file.load(EMBEDDINGS));
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(IDS, Json.MAPPER.writeValueAsString(list.ids()));
            metadata.put("model_type", modelType);
            SafetensorsWriter.write(out, Map.of(EMBEDDINGS, Tensors.cat(parts, 0)), metadata);
        }
    }
}
