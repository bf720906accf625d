package org.vco4j.data.mining;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.PartialRun;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Folders;
import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.DataPaths;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@code vco data clip-blind}: JoMPO's CLIP-blind pairs (its VTC data, after Tong et al.'s MMVP) among the images of
 * two {@code vco embed} files — every pair whose CLIP cosine is above {@code clipMin} and whose DINOv2 cosine is
 * below {@code dinov2Max}, found exactly by {@link ClipBlindSearch}.
 *
 * <p>Output: JSONL, one pair a line, {@code {"images": [a, b], "clip_cosine": c, "dinov2_cosine": d}} with the
 * images' ids (paths relative to the folder that was embedded), ordered by the rows of {@code a}, then {@code b}
 * ({@code a} before {@code b} in id order); and {@code FILE.summary.json}.
 *
 * <p>Resumable per block: each finished block's pairs are kept (written atomically) in {@code OUT.partial/}
 * with a manifest of the run (both files, their sizes and times, thresholds, block size). A rerun with the same
 * options continues after the last finished block, and the final file, written atomically from the blocks in order,
 * equals an uninterrupted run's byte for byte; the partial folder is then removed.
 */
public final class ClipBlindMining {
    private static final String MANIFEST = "manifest.json";

    /**
     * What a run did.
     *
     * @param images        images compared
     * @param pairs         CLIP-blind pairs written
     * @param blocks        blocks of rows in all
     * @param resumedBlocks of those, read back from an interrupted run
     * @param fullRows      rows of this run searched in full (more than {@code topK} above the CLIP threshold)
     * @param seconds       wall time of this run's search
     */
    public record Result(int images, long pairs, int blocks, int resumedBlocks, int fullRows, double seconds) {}

    private ClipBlindMining() {}

    /** {@link #run(Path, Path, Path, ClipBlindSearch.Settings, IntConsumer)} without a hook. */
    public static Result run(Path clipFile, Path dinov2File, Path out, ClipBlindSearch.Settings settings) throws IOException {
        return run(clipFile, dinov2File, out, settings, block -> {});
    }

    /**
     * Mines the pairs of the two embeddings files into {@code out}.
     *
     * @param afterBlock called with each block's number once it is kept (tests interrupt a run here)
     * @throws IllegalArgumentException for unreadable or mismatched embeddings, or a partial run made with other options
     */
    public static Result run(Path clipFile, Path dinov2File, Path out, ClipBlindSearch.Settings settings, IntConsumer afterBlock)
            throws IOException {
        AtomicFiles.checkTarget(out);
        EmbeddingTable clip = EmbeddingTable.read(clipFile);
        EmbeddingTable dinov2 = EmbeddingTable.read(dinov2File);
        EmbeddingTable.checkSameIds(clip, dinov2);
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        try (PointerScope scope = new PointerScope()) {
            ClipBlindSearch search = new ClipBlindSearch(clip.matrix(), dinov2.matrix(), settings);
            int resumed = resumedBlocks(partial, manifest(clipFile, dinov2File, clip.size(), settings), search.blocks());
            long pairs = 0;
            for (int b = 0; b < resumed; b++) pairs += Files.readAllLines(partial.resolve(blockFile(b))).size();
            ProgressBar progress = new ProgressBar("clip-blind", clip.size(), "rows");
            progress.note(pairs + " pairs found");
            progress.start(search.firstRow(resumed), search.firstRow(resumed));
            int fullRows = 0;
            long start = System.nanoTime();
            for (int b = resumed; b < search.blocks(); b++) {
                ClipBlindSearch.Block block = search.search(b);
                writeBlock(partial.resolve(blockFile(b)), block.pairs(), clip.ids());
                pairs += block.pairs().size();
                fullRows += block.fullRows();
                progress.note(pairs + " pairs found");
                progress.update(search.firstRow(b + 1));
                afterBlock.accept(b);
            }
            progress.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            Result result = new Result(clip.size(), pairs, search.blocks(), resumed, fullRows, seconds);
            writeOutput(out, partial, search.blocks());
            writeSummary(result, clipFile, dinov2File, out, settings);
            Folders.deleteRecursively(partial);
            return result;
        }
    }

    /** The summary written beside the output: {@code pairs.jsonl} → {@code pairs.summary.json}. */
    public static Path summaryFile(Path out) {
        return DataPaths.summaryBeside(out);
    }

    private static ObjectNode manifest(Path clipFile, Path dinov2File, int images, ClipBlindSearch.Settings settings) throws IOException {
        ObjectNode manifest = Json.MAPPER.createObjectNode();
        describe(manifest.putObject("clip"), clipFile);
        describe(manifest.putObject("dinov2"), dinov2File);
        manifest.put("images", images);
        manifest.put("clip_min", settings.clipMin());
        manifest.put("dinov2_max", settings.dinov2Max());
        manifest.put("block_size", settings.blockSize());
        return manifest;
    }

    private static void describe(ObjectNode node, Path file) throws IOException {
        node.put("path", file.toAbsolutePath().normalize().toString());
        node.put("bytes", Files.size(file));
        node.put("modified", Files.getLastModifiedTime(file).toMillis());
    }

    /**
     * The number of finished blocks an interrupted run left (0 when there is none, after creating the folder and
     * its manifest); refuses one made with other inputs or options.
     */
    private static int resumedBlocks(Path partial, ObjectNode manifest, int blocks) throws IOException {
        var previous = PartialRun.resume(partial, MANIFEST, manifest);
        if (previous == null) return 0;
        var current = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(manifest)); // numbers typed as when read back
        Map<String, String> settings = Map.of("clip", "--clip file (or it changed since)", "dinov2", "--dino file (or it changed since)",
                "images", "number of images", "clip_min", "--clip-min", "dinov2_max", "--dino-max", "block_size", "--block-size");
        for (String key : List.of("clip", "dinov2", "images", "clip_min", "dinov2_max", "block_size")) {
            if (!current.get(key).equals(previous.get(key))) {
                throw new IllegalArgumentException(partial + " holds an interrupted run with another " + settings.get(key)
                        + "; rerun with its options or delete it");
            }
        }
        return PartialRun.finished(partial, blocks, ClipBlindMining::blockFile);
    }

    private static String blockFile(int block) {
        return String.format("block-%06d.jsonl", block);
    }

    private static void writeBlock(Path file, List<ClipBlindPair> pairs, List<String> ids) throws IOException {
        StringBuilder text = new StringBuilder();
        for (ClipBlindPair pair : pairs) {
            text.append(jsonLine(ids.get(pair.first()), ids.get(pair.second()), pair.clipCosine(), pair.dinov2Cosine())).append('\n');
        }
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One line of the output, without its newline: {@code {"images": [first, second], "clip_cosine": c,
     * "dinov2_cosine": d}}. The Spark job writes its pairs with it too, so both outputs agree byte for byte.
     */
    public static String jsonLine(String first, String second, float clipCosine, float dinov2Cosine) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.putArray("images").add(first).add(second);
        line.put("clip_cosine", clipCosine);
        line.put("dinov2_cosine", dinov2Cosine);
        try {
            return Json.MAPPER.writeValueAsString(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e); // a tree of strings and numbers always serialises
        }
    }

    /** The blocks in order, as one file, atomically. */
    private static void writeOutput(Path out, Path partial, int blocks) throws IOException {
        AtomicFiles.writeStream(out, stream -> {
            for (int b = 0; b < blocks; b++) Files.copy(partial.resolve(blockFile(b)), stream);
        });
    }

    private static void writeSummary(Result result, Path clipFile, Path dinov2File, Path out, ClipBlindSearch.Settings settings)
            throws IOException {
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("clip", clipFile.toString());
        summary.put("dinov2", dinov2File.toString());
        summary.put("output", out.toString());
        summary.put("images", result.images());
        summary.put("clip_min", settings.clipMin());
        summary.put("dinov2_max", settings.dinov2Max());
        summary.put("pairs", result.pairs());
        summary.put("block_size", settings.blockSize());
        summary.put("top_k", settings.topK());
        summary.put("blocks", result.blocks());
        summary.put("resumed_blocks", result.resumedBlocks());
        summary.put("rows_searched_in_full", result.fullRows());
        AtomicFiles.write(summaryFile(out), Json.PRETTY.writeValueAsBytes(summary));
    }
}
