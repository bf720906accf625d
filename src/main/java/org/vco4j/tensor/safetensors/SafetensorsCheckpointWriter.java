package org.vco4j.tensor.safetensors;

import org.vco4j.common.AtomicFiles;

import org.bytedeco.pytorch.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a checkpoint folder the way transformers' {@code save_pretrained} lays it out: one
 * {@code model.safetensors} when everything fits in one shard, otherwise
 * {@code model-00001-of-0000N.safetensors} shards plus {@code model.safetensors.index.json}.
 *
 * <p>Each file is replaced atomically and the index is written after all shards. Files of an earlier
 * checkpoint with the same naming that the new one does not use (other shard counts, the index or the
 * single file) are deleted last, so that {@link SafetensorsCheckpoint} never prefers a stale file.
 * The checkpoint as a whole is not atomic: a crash midway through overwriting an earlier sharded
 * checkpoint in place may leave a mix of old and new shards, which opening then rejects as inconsistent
 * rather than reading silently. Write into a fresh folder when that matters.
 */
public final class SafetensorsCheckpointWriter {
    /** Metadata transformers puts in every file it saves; some of its versions refuse files without it. */
    public static final Map<String, String> TRANSFORMERS_METADATA = Map.of("format", "pt");

    private static final Pattern OWN_FILES = Pattern.compile(
            "model(-\\d{5,}-of-\\d{5,})?\\.safetensors(\\.index\\.json)?");

    private SafetensorsCheckpointWriter() {}

    /** As {@link #writeSharded(Path, Map, long, Map)} with {@link #TRANSFORMERS_METADATA}. */
    public static List<Path> writeSharded(Path folder, Map<String, Tensor> tensors, long maxShardBytes)
            throws IOException {
        return writeSharded(folder, tensors, maxShardBytes, TRANSFORMERS_METADATA);
    }

    /**
     * Writes {@code tensors} into {@code folder} (created if needed), splitting them into shards of at
     * most {@code maxShardBytes} of tensor data each. Tensors are taken in name order and packed greedily;
     * a tensor larger than the limit gets a shard of its own, as in transformers. Every shard carries
     * {@code metadata}.
     *
     * @return the files written, shards first and the index last
     * @throws IllegalArgumentException for a non-positive limit or a tensor {@link SafetensorsWriter}
     *     rejects; checked before any file is written
     */
    public static List<Path> writeSharded(Path folder, Map<String, Tensor> tensors, long maxShardBytes,
                                          Map<String, String> metadata) throws IOException {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive: " + maxShardBytes);
        return write(folder, SafetensorsWriter.plan(tensors), maxShardBytes, metadata);
    }

    /**
     * As {@link #writeSharded(Path, Map, long)} for tensors whose values are made one at a time as they are
     * written: peak memory is one tensor, whatever the checkpoint's size.
     */
    public static List<Path> writeShardedDeferred(Path folder, Map<String, DeferredTensor> tensors, long maxShardBytes)
            throws IOException {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive: " + maxShardBytes);
        return write(folder, SafetensorsWriter.planDeferred(tensors), maxShardBytes, TRANSFORMERS_METADATA);
    }

    private static List<Path> write(Path folder, List<SafetensorsWriter.Planned> planned, long maxShardBytes,
                                    Map<String, String> metadata) throws IOException {
        List<SafetensorsWriter.Planned> all = new ArrayList<>(planned);
        all.sort((a, b) -> SafetensorsWriter.compareCodePoints(a.name(), b.name()));
        List<List<SafetensorsWriter.Planned>> shards = split(all, maxShardBytes);
        Files.createDirectories(folder);

        List<Path> written = new ArrayList<>();
        if (shards.size() <= 1) {
            Path single = folder.resolve(SafetensorsCheckpoint.WEIGHTS_FILE);
            SafetensorsWriter.write(single, planned, metadata, SafetensorsWriter.DEFAULT_WRITE_CHUNK_BYTES);
            written.add(single);
        } else {
            // Sorted as Python's json.dumps(sort_keys=True) sorts: by code point.
            TreeMap<String, String> weightMap = new TreeMap<>(SafetensorsWriter::compareCodePoints);
            long totalSize = 0;
            for (int i = 0; i < shards.size(); i++) {
                String shardName = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                for (SafetensorsWriter.Planned p : shards.get(i)) {
                    weightMap.put(p.name(), shardName);
                    totalSize += p.byteSize();
                }
                Path path = folder.resolve(shardName);
                List<SafetensorsWriter.Planned> shard = SafetensorsWriter.inReferenceOrder(new ArrayList<>(shards.get(i)));
                SafetensorsWriter.write(path, shard, metadata, SafetensorsWriter.DEFAULT_WRITE_CHUNK_BYTES);
                written.add(path);
            }
            Path index = folder.resolve(SafetensorsCheckpoint.WEIGHTS_FILE + SafetensorsCheckpoint.INDEX_SUFFIX);
            byte[] indexBytes = ShardIndex.format(weightMap, totalSize);
            AtomicFiles.write(index, channel -> {
                ByteBuffer buffer = ByteBuffer.wrap(indexBytes);
                while (buffer.hasRemaining()) channel.write(buffer);
            });
            written.add(index);
        }
        deleteStale(folder, written);
        return written;
    }

    /** Greedy packing in the given order; a tensor larger than the limit gets a shard of its own. */
    static List<List<SafetensorsWriter.Planned>> split(List<SafetensorsWriter.Planned> tensors, long maxShardBytes) {
        List<List<SafetensorsWriter.Planned>> shards = new ArrayList<>();
        List<SafetensorsWriter.Planned> current = new ArrayList<>();
        long currentBytes = 0;
        for (SafetensorsWriter.Planned p : tensors) {
            if (!current.isEmpty() && currentBytes + p.byteSize() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(p);
            currentBytes += p.byteSize();
        }
        if (!current.isEmpty()) shards.add(current);
        return shards;
    }

    private static void deleteStale(Path folder, List<Path> written) throws IOException {
        Set<Path> keep = new HashSet<>();
        for (Path p : written) keep.add(p.getFileName());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                Path name = entry.getFileName();
                if (!keep.contains(name) && OWN_FILES.matcher(name.toString()).matches() && Files.isRegularFile(entry)) {
                    Files.delete(entry);
                }
            }
        }
    }
}
