package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.AtomicFolder;
import org.vco4j.common.Json;
import org.vco4j.common.ProgressBar;
import org.vco4j.data.DataImages;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vco data import}: a published dataset file read by its {@link DatasetReader}, every record checked, its
 * images placed ({@link ImagePlacement}), written as vco4j's samples ({@link SampleWriter}) with a summary JSON
 * beside them. The first bad record stops the import with one line naming the file, the record and the field,
 * and nothing is written: the images go to a staging folder that takes its place only when every record passed.
 */
public final class DatasetImport {
    /** From this input size on, the import shows progress. */
    static final long PROGRESS_FROM_BYTES = 1 << 20;

    /**
     * What the import did, as the summary JSON lists it.
     *
     * @param dropped   reason → records dropped for it
     * @param notes     what was not carried over → records it concerns
     * @param contrasts contrast type → samples written with it (empty when the layout has none)
     */
    public record Summary(String format, Path input, Path output, long read, long written, Map<String, Long> dropped,
                          Map<String, Long> notes, Map<String, Long> contrasts, ImagePlacement.Counts images) {
        ObjectNode toJson() {
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("format", format);
            node.put("input", input.toString());
            node.put("output", output.toString());
            node.put("records_read", read);
            node.put("written", written);
            node.put("dropped", read - written);
            ObjectNode reasons = node.putObject("dropped_by_reason");
            dropped.forEach(reasons::put);
            ObjectNode placed = node.putObject("images");
            placed.put("in_place", images.inPlace());
            placed.put("hard_linked", images.linked());
            placed.put("copied", images.copied());
            placed.put("written_from_bytes", images.embedded());
            ObjectNode notNode = node.putObject("not_carried_over");
            notes.forEach(notNode::put);
            if (!contrasts.isEmpty()) {
                ObjectNode byContrast = node.putObject("by_contrast");
                contrasts.forEach(byContrast::put);
            }
            return node;
        }
    }

    private DatasetImport() {}

    /**
     * @param images the folder relative image paths start from; null for the input file's folder
     * @param copy   copy images even where a hard link is possible
     */
    public static Summary run(DatasetReader reader, Path input, Path images, Path output, boolean copy) throws IOException {
        AtomicFiles.checkTarget(output);
        Path imagesFolder = images != null ? images : input.toAbsolutePath().normalize().getParent();
        Path target = DataImages.folderBeside(output);
        Path created = firstMissingFolder(target.getParent());
        try {
            return run(reader, input, imagesFolder, output, target, copy);
        } catch (IOException | RuntimeException e) {
            if (created != null) removeEmptyFolders(created);
            throw e;
        }
    }

    private static Summary run(DatasetReader reader, Path input, Path imagesFolder, Path output, Path target, boolean copy)
            throws IOException {
        List<Sample> samples = new ArrayList<>();
        Map<String, Long> dropped = new LinkedHashMap<>();
        Map<String, Long> notes = new LinkedHashMap<>();
        long[] read = {0};
        ImagePlacement.Counts[] counts = new ImagePlacement.Counts[1];
        long size = Files.isRegularFile(input) ? Files.size(input) : 0;
        ProgressBar progress = size >= PROGRESS_FROM_BYTES ? new ProgressBar("import " + reader.name(), size, "records") : null;
        AtomicFolder.write(target, true, staging -> {
            ImagePlacement placement = new ImagePlacement(imagesFolder, output, target, staging, copy);
            RecordFile.read(input, (record, bytesRead) -> {
                read[0]++;
                try {
                    ImportedRecord imported = reader.read(record);
                    samples.add(sample(reader, record, imported, placement));
                    imported.notes().forEach(note -> notes.merge(note, 1L, Long::sum));
                } catch (RecordDropped drop) {
                    dropped.merge(drop.reason(), 1L, Long::sum);
                }
                if (progress != null) progress.update(bytesRead, read[0], Double.NaN);
            });
            if (samples.isEmpty()) {
                throw new IllegalArgumentException(input + ": no record could be imported (" + read[0] + " read, all dropped: "
                        + dropped + ")");
            }
            counts[0] = placement.counts();
        });
        if (progress != null) progress.finish(size, read[0], Double.NaN);
        SampleWriter.write(output, samples);
        Map<String, Long> contrasts = new java.util.TreeMap<>();
        for (Sample sample : samples) if (sample.contrast() != null) contrasts.merge(sample.contrast(), 1L, Long::sum);
        Summary summary = new Summary(reader.name(), input, output, read[0], samples.size(), dropped, notes, contrasts, counts[0]);
        AtomicFiles.write(summaryFile(output), Json.PRETTY.writeValueAsBytes(summary.toJson()));
        return summary;
    }

    /** The outermost folder of {@code folder}'s path that does not exist yet, or null when it exists. */
    private static Path firstMissingFolder(Path folder) {
        Path missing = null;
        for (Path f = folder.toAbsolutePath().normalize(); f != null && !Files.exists(f); f = f.getParent()) missing = f;
        return missing;
    }

    /** Removes the folders a failed import created, which hold nothing else once its staging folder is gone. */
    private static void removeEmptyFolders(Path created) throws IOException {
        try (var walk = Files.walk(created)) {
            for (Path folder : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!Files.isDirectory(folder)) return;
                try (var entries = Files.list(folder)) {
                    if (entries.findAny().isPresent()) return;
                }
                Files.delete(folder);
            }
        }
    }

    /** {@code FILE.summary.json} beside {@code FILE.jsonl}. */
    public static Path summaryFile(Path output) {
        return DataPaths.summaryBeside(output);
    }

    /** The record as a sample with placed images; equal answers are dropped, as SeVa drops them. */
    private static Sample sample(DatasetReader reader, SourceRecord record, ImportedRecord imported, ImagePlacement placement)
            throws IOException, RecordDropped {
        String y = imported.responses().get(0);
        boolean equal = imported.rejected().contains(y) || imported.responses().size() > 1 && imported.responses().get(1).equals(y);
        if (equal) throw new RecordDropped("equal answers (no preference)");
        List<Path> images = new ArrayList<>();
        for (ImageSource image : imported.images()) images.add(placement.place(record, image));
        try {
            return new Sample(reader.name() + "-" + record.ordinal(), images, imported.prompt(), imported.responses(),
                    imported.rejected(), imported.masks(), imported.contrast(), reader.name(), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(record.location() + ": as a vco4j sample, " + e.getMessage(), e);
        }
    }
}
