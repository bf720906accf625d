package org.vco4j.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.vco4j.common.AtomicFolder;
import org.vco4j.common.Json;
import org.vco4j.data.mining.ClipBlindMining;
import org.vco4j.data.mining.ClipBlindSearch;
import org.vco4j.data.mining.EmbeddingTable;
import org.vco4j.model.ModelLoadException;
import org.vco4j.model.encoder.ImageList;
import org.vco4j.model.encoder.PretrainedImageEncoder;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.image.RgbImage;
import org.vco4j.model.nn.ParameterFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * JoMPO's CLIP-blind mining (its VTC pairs) on Apache Spark: {@code vco embed} with a CLIP and a DINOv2 encoder,
 * then {@code vco data clip-blind}, with the work spread over the executors and the same result.
 *
 * <ol>
 *   <li><b>Embedding.</b> The images (sorted by id, as {@code vco embed} orders them) are cut into batches of
 *       {@code batchSize} exactly where {@code vco embed} cuts them; partitions of whole batches go to the executors,
 *       where each batch is decoded once and passed through both encoders (each loaded once per executor,
 *       {@link ExecutorEncoders}). Written as Parquet: {@code clip.parquet} and {@code dinov2.parquet}, rows
 *       {@code (id string, vector array<float>)}, L2-normalised, in id order.</li>
 *   <li><b>Mining.</b> Both tables, scaled to unit rows by {@link EmbeddingTable#unitRows} as the single-machine
 *       command scales them, are broadcast once; each task runs {@link ClipBlindSearch#search} on its blocks of
 *       {@code blockSize} rows (the same libtorch block products). Written as {@code pairs.parquet}
 *       ({@code images array<string>, clip_cosine float, dinov2_cosine float}) and {@code pairs.jsonl}, the file of
 *       {@code vco data clip-blind}, line for line, in the same order; and {@code summary.json}.</li>
 * </ol>
 *
 * <p>The output folder appears whole or not at all ({@link AtomicFolder}); it and the images must lie on storage the
 * driver and every executor see at the same path, and the model folders must be readable on each of them. Every
 * executor holds both embedding tables while mining: {@code images × (clip width + DINOv2 width) × 4} bytes.
 */
public final class SparkClipBlind {
    /**
     * The job's options.
     *
     * @param images     image folders or list files (ids as {@code vco embed} gives them; they must not collide)
     * @param clip       the CLIP (or SigLIP) encoder's Hugging Face folder
     * @param dinov2     the DINOv2 encoder's folder
     * @param out        the output folder (must not exist or be empty)
     * @param settings   thresholds, block size and top-k of {@link ClipBlindSearch}
     * @param batchSize  images per forward pass ({@code vco embed --batch-size})
     * @param partitions partitions of the embedding and mining stages; 0 for Spark's default parallelism
     */
    public record Options(List<Path> images, Path clip, Path dinov2, Path out, ClipBlindSearch.Settings settings,
                          int batchSize, int partitions) {
        public Options {
            if (images.isEmpty()) throw new IllegalArgumentException("--images: give at least one image folder or list file");
            if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
            if (partitions < 0) throw new IllegalArgumentException("--partitions must be 0 (Spark's default) or more, got " + partitions);
            images = List.copyOf(images);
        }
    }

    /**
     * What a run did.
     *
     * @param images       images embedded
     * @param pairs        CLIP-blind pairs written
     * @param blocks       blocks of rows searched
     * @param fullRows     rows searched in full (more than top-k above the CLIP threshold)
     * @param partitions   partitions of the embedding stage
     * @param embedSeconds wall time of embedding and writing the embeddings
     * @param mineSeconds  wall time of the search and writing the pairs
     */
    public record Result(int images, long pairs, int blocks, long fullRows, int partitions, double embedSeconds, double mineSeconds) {
        /** Images through both encoders per second of the embedding stage. */
        public double imagesPerSecond() {
            return embedSeconds > 0 ? images / embedSeconds : 0;
        }
    }

    /** One batch of images, cut as {@code vco embed} cuts them. */
    private record ImageBatch(String[] ids, String[] files) implements Serializable {}

    /**
     * One image's two embeddings, L2-normalised by the encoder; or, with {@code error} set, the bad input an executor
     * met (an image it cannot decode, a model folder it cannot load), reported by the driver as one line.
     */
    private record Embedded(String id, float[] clip, float[] dinov2, String error) implements Serializable {}

    /** What one block of rows gave: the pairs' rows and cosines, in the search's order. */
    private record MinedBlock(int block, int fullRows, int[] first, int[] second, float[] clipCosines, float[] dinov2Cosines)
            implements Serializable {}

    static final String CLIP_PARQUET = "clip.parquet";
    static final String DINOV2_PARQUET = "dinov2.parquet";
    static final String PAIRS_PARQUET = "pairs.parquet";
    static final String PAIRS_JSONL = "pairs.jsonl";
    static final String SUMMARY = "summary.json";

    private SparkClipBlind() {}

    /**
     * Runs both stages on {@code spark} and writes {@code options.out()} atomically.
     *
     * @throws IllegalArgumentException for bad options or input (also as the cause of a failed Spark job)
     * @throws IOException naming a file that cannot be read or written
     */
    public static Result run(SparkSession spark, Options options) throws IOException {
        Result[] result = new Result[1];
        AtomicFolder.write(options.out(), false, staging -> result[0] = runInto(spark, options, staging));
        return result[0];
    }

    private static Result runInto(SparkSession spark, Options options, Path staging) throws IOException {
        ImageList images = imageList(options.images());
        String clipType = describe(options.clip(), "--clip");
        String dinov2Type = describe(options.dinov2(), "--dino");
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());

        long start = System.nanoTime();
        List<ImageBatch> batches = batches(images, options.batchSize());
        int partitions = Math.min(batches.size(), options.partitions() > 0 ? options.partitions() : context.defaultParallelism());
        String clipFolder = options.clip().toAbsolutePath().normalize().toString();
        String dinov2Folder = options.dinov2().toAbsolutePath().normalize().toString();
        JavaRDD<Embedded> embedded = context.parallelize(batches, partitions)
                .mapPartitions(part -> embed(part, clipFolder, dinov2Folder))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Embedded> failures = embedded.filter(e -> e.error() != null).take(1);
            if (!failures.isEmpty()) throw new IllegalArgumentException(failures.get(0).error());
            StructType vectors = new StructType().add("id", DataTypes.StringType, false)
                    .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
            spark.createDataFrame(embedded.map(e -> RowFactory.create(e.id(), e.clip())), vectors)
                    .write().parquet(staging.resolve(CLIP_PARQUET).toUri().toString());
            spark.createDataFrame(embedded.map(e -> RowFactory.create(e.id(), e.dinov2())), vectors)
                    .write().parquet(staging.resolve(DINOV2_PARQUET).toUri().toString());
            List<Embedded> rows = embedded.collect();
            double embedSeconds = (System.nanoTime() - start) / 1e9;
            return mine(spark, context, options, staging, rows, partitions, embedSeconds, clipType, dinov2Type);
        } finally {
            embedded.unpersist(false);
        }
    }

    private static Result mine(SparkSession spark, JavaSparkContext context, Options options, Path staging, List<Embedded> rows,
                               int partitions, double embedSeconds, String clipType, String dinov2Type) throws IOException {
        long start = System.nanoTime();
        List<String> ids = rows.stream().map(Embedded::id).toList();
        EmbeddingTable clip = EmbeddingTable.unitRows(options.out().resolve(CLIP_PARQUET), ids, rows.get(0).clip().length,
                flat(rows, true));
        EmbeddingTable dinov2 = EmbeddingTable.unitRows(options.out().resolve(DINOV2_PARQUET), ids, rows.get(0).dinov2().length,
                flat(rows, false));
        ClipBlindSearch.Settings settings = options.settings();
        Broadcast<MiningInput> input = context.broadcast(new MiningInput(ids, clip.dimension(), clip.rows(), dinov2.dimension(),
                dinov2.rows(), settings.clipMin(), settings.dinov2Max(), settings.blockSize(), settings.topK()));
        int blocks = (ids.size() + settings.blockSize() - 1) / settings.blockSize();
        JavaRDD<MinedBlock> mined = context.parallelize(IntStream.range(0, blocks).boxed().toList(), Math.min(blocks, Math.max(1, partitions)))
                .map(b -> search(input, b))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            StructType pairSchema = new StructType()
                    .add("images", DataTypes.createArrayType(DataTypes.StringType, false), false)
                    .add("clip_cosine", DataTypes.FloatType, false)
                    .add("dinov2_cosine", DataTypes.FloatType, false);
            spark.createDataFrame(mined.flatMap(block -> pairRows(block, input.value().ids())), pairSchema)
                    .write().parquet(staging.resolve(PAIRS_PARQUET).toUri().toString());
            long pairs = 0;
            long fullRows = 0;
            try (BufferedWriter jsonl = Files.newBufferedWriter(staging.resolve(PAIRS_JSONL), StandardCharsets.UTF_8)) {
                Iterator<MinedBlock> inOrder = mined.toLocalIterator();
                while (inOrder.hasNext()) {
                    MinedBlock block = inOrder.next();
                    fullRows += block.fullRows();
                    for (int p = 0; p < block.first().length; p++) {
                        jsonl.write(ClipBlindMining.jsonLine(ids.get(block.first()[p]), ids.get(block.second()[p]),
                                block.clipCosines()[p], block.dinov2Cosines()[p]));
                        jsonl.write('\n');
                        pairs++;
                    }
                }
            }
            double mineSeconds = (System.nanoTime() - start) / 1e9;
            Result result = new Result(ids.size(), pairs, blocks, fullRows, partitions, embedSeconds, mineSeconds);
            writeSummary(staging.resolve(SUMMARY), options, result, clipType, dinov2Type, context.master());
            return result;
        } finally {
            mined.unpersist(false);
            input.destroy();
        }
    }

    /** Executor side: embeds a partition's batches with both encoders. */
    private static Iterator<Embedded> embed(Iterator<ImageBatch> part, String clipFolder, String dinov2Folder) {
        List<Embedded> out = new ArrayList<>();
        try {
            PretrainedImageEncoder clip = ExecutorEncoders.get(clipFolder);
            PretrainedImageEncoder dinov2 = ExecutorEncoders.get(dinov2Folder);
            while (part.hasNext()) {
                ImageBatch batch = part.next();
                List<RgbImage> pictures = new ArrayList<>(batch.files().length);
                for (String file : batch.files()) pictures.add(ImageLoader.load(Path.of(file)));
                float[][] clipRows = ExecutorEncoders.embed(clip, pictures);
                float[][] dinov2Rows = ExecutorEncoders.embed(dinov2, pictures);
                for (int i = 0; i < pictures.size(); i++) out.add(new Embedded(batch.ids()[i], clipRows[i], dinov2Rows[i], null));
            }
        } catch (IOException | IllegalArgumentException | ModelLoadException e) {
            // Bad input, not a failed task: retrying would meet it again. The driver reports it.
            return List.of(new Embedded(null, null, null, e.getMessage())).iterator();
        }
        return out.iterator();
    }

    /** Executor side: one block of rows through this executor's {@link ClipBlindSearch}. */
    private static MinedBlock search(Broadcast<MiningInput> input, int b) {
        ClipBlindSearch.Block block = ExecutorSearch.get(input).search(b);
        int n = block.pairs().size();
        int[] first = new int[n];
        int[] second = new int[n];
        float[] clipCosines = new float[n];
        float[] dinov2Cosines = new float[n];
        for (int p = 0; p < n; p++) {
            var pair = block.pairs().get(p);
            first[p] = pair.first();
            second[p] = pair.second();
            clipCosines[p] = pair.clipCosine();
            dinov2Cosines[p] = pair.dinov2Cosine();
        }
        return new MinedBlock(b, block.fullRows(), first, second, clipCosines, dinov2Cosines);
    }

    private static Iterator<Row> pairRows(MinedBlock block, List<String> ids) {
        List<Row> rows = new ArrayList<>(block.first().length);
        for (int p = 0; p < block.first().length; p++) {
            rows.add(RowFactory.create(new String[] {ids.get(block.first()[p]), ids.get(block.second()[p])},
                    block.clipCosines()[p], block.dinov2Cosines()[p]));
        }
        return rows.iterator();
    }

    /** The images of every source in id order; an id found in two sources is an error naming both. */
    static ImageList imageList(List<Path> sources) throws IOException {
        if (sources.size() == 1) return ImageList.read(sources.get(0));
        Map<String, Path> files = new TreeMap<>();
        Map<String, Path> sourceOf = new TreeMap<>();
        for (Path source : sources) {
            ImageList list = ImageList.read(source);
            for (int i = 0; i < list.size(); i++) {
                Path earlier = sourceOf.put(list.ids().get(i), source);
                if (earlier != null) {
                    throw new IllegalArgumentException("--images: image id '" + list.ids().get(i) + "' is in both " + earlier + " and "
                            + source + "; ids (paths relative to their folder or list) must be unique");
                }
                files.put(list.ids().get(i), list.files().get(i));
            }
        }
        return new ImageList(List.copyOf(files.keySet()), List.copyOf(files.values()));
    }

    /** Loads an encoder folder once on the driver, so a bad folder is one clear error before any task runs. */
    private static String describe(Path folder, String option) {
        try (PretrainedImageEncoder encoder = PretrainedImageEncoder.load(folder, ParameterFactory.cpuFloat32())) {
            return encoder.modelType();
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException || e instanceof ModelLoadException) {
                throw new IllegalArgumentException(option + " " + folder + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static List<ImageBatch> batches(ImageList images, int batchSize) {
        List<ImageBatch> batches = new ArrayList<>();
        for (int from = 0; from < images.size(); from += batchSize) {
            int to = Math.min(images.size(), from + batchSize);
            String[] ids = images.ids().subList(from, to).toArray(String[]::new);
            String[] files = images.files().subList(from, to).stream()
                    .map(file -> file.toAbsolutePath().normalize().toString()).toArray(String[]::new);
            batches.add(new ImageBatch(ids, files));
        }
        return batches;
    }

    private static float[] flat(List<Embedded> rows, boolean clip) {
        int width = clip ? rows.get(0).clip().length : rows.get(0).dinov2().length;
        float[] flat = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            float[] row = clip ? rows.get(i).clip() : rows.get(i).dinov2();
            System.arraycopy(row, 0, flat, i * width, width);
        }
        return flat;
    }

    private static void writeSummary(Path file, Options options, Result result, String clipType, String dinov2Type, String master)
            throws IOException {
        ObjectNode summary = Json.MAPPER.createObjectNode();
        options.images().forEach(source -> summary.withArray("images_from").add(source.toString()));
        summary.put("clip", options.clip().toString());
        summary.put("clip_model_type", clipType);
        summary.put("dinov2", options.dinov2().toString());
        summary.put("dinov2_model_type", dinov2Type);
        summary.put("output", options.out().toString());
        summary.put("images", result.images());
        summary.put("clip_min", options.settings().clipMin());
        summary.put("dinov2_max", options.settings().dinov2Max());
        summary.put("pairs", result.pairs());
        summary.put("block_size", options.settings().blockSize());
        summary.put("top_k", options.settings().topK());
        summary.put("blocks", result.blocks());
        summary.put("rows_searched_in_full", result.fullRows());
        summary.put("batch_size", options.batchSize());
        summary.put("partitions", result.partitions());
        summary.put("master", master);
        summary.put("embed_seconds", result.embedSeconds());
        summary.put("images_per_second", result.imagesPerSecond());
        summary.put("mine_seconds", result.mineSeconds());
        Files.write(file, Json.PRETTY.writeValueAsBytes(summary));
    }

    static String line(Result result) {
        return String.format(java.util.Locale.ROOT, "%d CLIP-blind pairs among %d images (embedding %.1f s, %.1f images/s over %d partitions; "
                        + "mining %.1f s over %d blocks)", result.pairs(), result.images(), result.embedSeconds(), result.imagesPerSecond(),
                result.partitions(), result.mineSeconds(), result.blocks());
    }

}
