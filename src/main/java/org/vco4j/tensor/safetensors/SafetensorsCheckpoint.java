package org.vco4j.tensor.safetensors;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The weights of a Hugging Face style checkpoint folder: a single {@code model.safetensors}, or
 * {@code model.safetensors.index.json} plus the shard files it lists. When both are present the single
 * file wins, as in transformers.
 *
 * <p>Opening validates everything up front: each file as {@link SafetensorsFile} does, and the index
 * against the shards (see {@link #open(Path, String)}). Holds every shard's file handle open until
 * {@link #close}; loaded tensors own their memory and outlive it.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    /** The single-file weights name used by transformers. */
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** Suffix that turns a weights name into its index name. */
    public static final String INDEX_SUFFIX = ".index.json";

    private final Path folder;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;

    private SafetensorsCheckpoint(Path folder, List<SafetensorsFile> files, Map<String, SafetensorsFile> fileOf) {
        this.folder = folder;
        this.files = List.copyOf(files);
        this.fileOf = Collections.unmodifiableMap(fileOf);
    }

    /** Opens the {@code model.safetensors} checkpoint in {@code folder}. */
    public static SafetensorsCheckpoint open(Path folder) throws IOException {
        return open(folder, WEIGHTS_FILE);
    }

    /**
     * Opens {@code folder/weightsFile}, or else the sharded checkpoint described by
     * {@code folder/weightsFile.index.json} (e.g. {@code adapter_model.safetensors} for an adapter).
     *
     * <p>The index must be consistent with its shards, or {@link SafetensorsFormatException} names the
     * problem: every shard is a relative path inside {@code folder} (no {@code ..}, not absolute) that
     * exists; every tensor it maps is present in its shard; and every tensor in a shard is mapped to that
     * shard, so no tensor lives in two shards and none is left out of the index.
     *
     * @throws NoSuchFileException when {@code folder} has neither file
     */
    public static SafetensorsCheckpoint open(Path folder, String weightsFile) throws IOException {
        Path single = folder.resolve(weightsFile);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            for (String name : file.names()) fileOf.put(name, file);
            return new SafetensorsCheckpoint(folder, List.of(file), fileOf);
        }
        Path index = folder.resolve(weightsFile + INDEX_SUFFIX);
        if (!Files.isRegularFile(index)) {
            throw new NoSuchFileException(folder.toString(), null,
                    "no checkpoint: neither " + weightsFile + " nor " + weightsFile + INDEX_SUFFIX + " is there");
        }
        return openSharded(folder, index);
    }

    private static SafetensorsCheckpoint openSharded(Path folder, Path index) throws IOException {
        Map<String, Path> shardOf = ShardIndex.read(index, folder).shardOf();
        // Shards in name order, so tensor order is stable and follows HF's numbering.
        Map<Path, List<String>> mapped = new TreeMap<>();
        shardOf.forEach((tensor, shard) -> mapped.computeIfAbsent(shard, s -> new ArrayList<>()).add(tensor));

        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            for (Map.Entry<Path, List<String>> e : mapped.entrySet()) {
                SafetensorsFile shard = SafetensorsFile.open(e.getKey());
                opened.add(shard);
                String shardName = label(folder, e.getKey());
                for (String tensor : e.getValue()) {
                    if (!shard.contains(tensor)) {
                        throw new SafetensorsFormatException(index, tensor, "mapped to shard " + shardName
                                + ", which does not contain it");
                    }
                }
                for (String tensor : shard.names()) {
                    Path listed = shardOf.get(tensor);
                    if (listed == null) {
                        throw new SafetensorsFormatException(index, tensor, "present in shard " + shardName
                                + " but missing from the weight_map");
                    }
                    if (!listed.equals(e.getKey())) {
                        throw new SafetensorsFormatException(index, tensor, "present in shard " + shardName
                                + " and in shard " + label(folder, listed)
                                + "; a tensor must live in exactly one shard");
                    }
                    fileOf.put(tensor, shard);
                }
            }
            return new SafetensorsCheckpoint(folder, opened, fileOf);
        } catch (IOException | RuntimeException | Error e) {
            for (SafetensorsFile f : opened) {
                try {
                    f.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** A shard as the index names it, quoted, for messages. */
    private static String label(Path folder, Path shard) {
        return SafetensorsFormatException.quote(folder.normalize().relativize(shard).toString());
    }

    /** The checkpoint folder. */
    public Path folder() {
        return folder;
    }

    /** The weight files: the single file, or the shards in name order. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>(files.size());
        for (SafetensorsFile f : files) out.add(f.path());
        return out;
    }

    /** All tensor names: shard by shard in shard-name order, each shard in file order. */
    public List<String> names() {
        return List.copyOf(fileOf.keySet());
    }

    /** Whether the checkpoint holds a tensor called {@code name}. */
    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    /** Where and how tensor {@code name} is stored; {@link NoSuchElementException} when absent. */
    public TensorInfo info(String name) {
        return fileFor(name).info(name);
    }

    /** Tensor {@code name} in its stored dtype, owning its memory (see {@link SafetensorsFile#load(String)}). */
    public Tensor load(String name) throws IOException {
        return fileFor(name).load(name);
    }

    /** Tensor {@code name} converted to {@code convertTo}. */
    public Tensor load(String name, ScalarType convertTo) throws IOException {
        return fileFor(name).load(name, convertTo);
    }

    /** Closes every file handle; loaded tensors are unaffected. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    private SafetensorsFile fileFor(String name) {
        SafetensorsFile file = fileOf.get(name);
        if (file == null) {
            throw new NoSuchElementException(folder + ": no tensor " + SafetensorsFormatException.quote(name));
        }
        return file;
    }
}
