package org.vco4j.data.mining;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;
import org.vco4j.data.DataImages;
import org.vco4j.data.DataPaths;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.SampleWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code vco data mvc-filter}: the vision-centric filter of S-VCO's MVC data (§4, after the CLIP-blind idea). A
 * candidate pair of images {@code [m, m']} is kept when SigLIP finds it alike in meaning (cosine above
 * {@code siglipMin}: the same scene, hard for a VLM) and DINOv2 finds it different in appearance (cosine below
 * {@code dinov2Max}: a real visual contrast). Pairs whose contrast type is in {@code bypass} (position flips, which
 * the paper leaves unfiltered because they are real mirrored photos, not synthesized edits) are kept as they are.
 *
 * <p>Images are found in the embeddings files by their path relative to {@code imageRoot} (the folder that was
 * embedded; by default the data file's folder). The kept samples are written in the sample format, unchanged, with
 * {@code FILE.summary.json}: the kept/dropped table per contrast type.
 */
public final class MvcFilter {
    /** The contrast type of samples that have none, in the table. */
    public static final String UNSPECIFIED = "(none)";

    /**
     * @param siglipMin keep pairs whose SigLIP cosine is above this
     * @param dinov2Max and whose DINOv2 cosine is below this
     * @param bypass    contrast types kept without the filter (compared ignoring case)
     */
    public record Settings(double siglipMin, double dinov2Max, Set<String> bypass) {
        public Settings {
            if (!(siglipMin >= -1 && siglipMin <= 1)) throw new IllegalArgumentException("--siglip-min must be a cosine in [-1, 1], got " + siglipMin);
            if (!(dinov2Max >= -1 && dinov2Max <= 1)) throw new IllegalArgumentException("--dino-max must be a cosine in [-1, 1], got " + dinov2Max);
            bypass = bypass.stream().map(type -> type.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }

        boolean bypasses(String contrast) {
            return contrast != null && bypass.contains(contrast.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The counts of one contrast type. A dropped pair may fail both tests; it counts once in {@code dropped} and
     * in each reason it fails.
     */
    public record Counts(int samples, int passed, int bypassed, int dropped, int siglipTooLow, int dinov2TooHigh) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0);

        /** Samples kept: passed the filter or bypassed it. */
        public int kept() {
            return passed + bypassed;
        }

        Counts plus(Counts other) {
            return new Counts(samples + other.samples, passed + other.passed, bypassed + other.bypassed, dropped + other.dropped,
                    siglipTooLow + other.siglipTooLow, dinov2TooHigh + other.dinov2TooHigh);
        }
    }

    /** The counts per contrast type (sorted by name) and the samples written. */
    public record Result(Map<String, Counts> byContrast, List<Sample> kept) {
        /** All types together. */
        public Counts total() {
            return byContrast.values().stream().reduce(Counts.NONE, Counts::plus);
        }

        /** The kept/dropped table, one line per contrast type and a total. */
        public String table() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-14s %8s %8s %8s %8s %12s %12s%n",
                    "contrast", "samples", "kept", "bypassed", "dropped", "siglip<=min", "dinov2>=max"));
            byContrast.forEach((type, counts) -> text.append(row(type, counts)));
            return text.append(row("total", total())).toString();
        }

        private static String row(String type, Counts c) {
            return String.format(Locale.ROOT, "%-14s %8d %8d %8d %8d %12d %12d%n", type, c.samples(), c.kept(), c.bypassed(),
                    c.dropped(), c.siglipTooLow(), c.dinov2TooHigh());
        }
    }

    private MvcFilter() {}

    /**
     * Filters the tuples of {@code data} and writes the kept ones to {@code out} (images outside its folder are
     * copied to {@code FILE-images/}) and the summary beside it. Everything is checked before anything is written.
     *
     * @param imageRoot the folder the embedded ids are relative to; null for the data file's folder
     * @throws IllegalArgumentException one line naming the file, the sample and the field at fault
     */
    public static Result run(Path data, Path siglipFile, Path dinov2File, Path imageRoot, Path out, Settings settings) throws IOException {
        AtomicFiles.checkTarget(out);
        if (out.toAbsolutePath().normalize().equals(data.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out " + out + " is the input file; write the kept samples to another file");
        }
        List<Sample> samples = SampleReader.read(data);
        EmbeddingTable siglip = EmbeddingTable.read(siglipFile);
        EmbeddingTable dinov2 = EmbeddingTable.read(dinov2File);
        EmbeddingTable.checkSameIds(siglip, dinov2);
        Path root = (imageRoot == null ? data.toAbsolutePath().getParent() : imageRoot).toAbsolutePath().normalize();
        Map<String, Integer> rows = siglip.rowsById();

        Map<String, Counts> byContrast = new TreeMap<>();
        List<Sample> kept = new ArrayList<>();
        for (Sample sample : samples) {
            String where = data + ": sample '" + sample.id() + "'";
            if (sample.images().size() != 2) {
                throw new IllegalArgumentException(where + ": field \"images\": has one image; the filter compares a pair [m, m']");
            }
            String type = sample.contrast() == null ? UNSPECIFIED : sample.contrast();
            Counts counts;
            if (settings.bypasses(sample.contrast())) {
                counts = new Counts(1, 0, 1, 0, 0, 0);
            } else {
                int m = row(rows, root, sample.images().get(0), where + ": field \"images\"[0]", siglipFile);
                int mPrime = row(rows, root, sample.images().get(1), where + ": field \"images\"[1]", siglipFile);
                boolean siglipTooLow = !(siglip.cosine(m, mPrime) > settings.siglipMin());
                boolean dinov2TooHigh = !(dinov2.cosine(m, mPrime) < settings.dinov2Max());
                boolean passed = !siglipTooLow && !dinov2TooHigh;
                counts = new Counts(1, passed ? 1 : 0, 0, passed ? 0 : 1, siglipTooLow ? 1 : 0, dinov2TooHigh ? 1 : 0);
            }
            byContrast.merge(type, counts, Counts::plus);
            if (counts.kept() == 1) kept.add(sample);
        }

        DataImages inside = new DataImages(out, DataImages.folderBeside(out));
        List<Sample> written = new ArrayList<>();
        for (Sample sample : kept) written.add(inside.relocate(sample));
        SampleWriter.write(out, written);
        Result result = new Result(byContrast, written);
        writeSummary(result, data, siglipFile, dinov2File, out, settings);
        return result;
    }

    /** The row of {@code image}, found by its path relative to {@code root}. */
    private static int row(Map<String, Integer> rows, Path root, Path image, String where, Path embeddings) {
        if (!image.startsWith(root)) {
            throw new IllegalArgumentException(where + ": image " + image + " is not inside the embedded folder " + root + " (see --images)");
        }
        String id = root.relativize(image).toString().replace(image.getFileSystem().getSeparator(), "/");
        Integer row = rows.get(id);
        if (row == null) {
            throw new IllegalArgumentException(where + ": image '" + id + "' has no row in " + embeddings
                    + " (ids are paths relative to " + root + "; embed that folder, or point --images at the embedded one)");
        }
        return row;
    }

    private static void writeSummary(Result result, Path data, Path siglipFile, Path dinov2File, Path out, Settings settings)
            throws IOException {
        ObjectNode summary = Json.MAPPER.createObjectNode();
        summary.put("input", data.toString());
        summary.put("output", out.toString());
        summary.put("siglip", siglipFile.toString());
        summary.put("dinov2", dinov2File.toString());
        summary.put("siglip_min", settings.siglipMin());
        summary.put("dinov2_max", settings.dinov2Max());
        settings.bypass().stream().sorted().forEach(summary.putArray("bypass")::add);
        ObjectNode table = summary.putObject("by_contrast");
        result.byContrast().forEach((type, counts) -> counts(table.putObject(type), counts));
        counts(summary.putObject("total"), result.total());
        AtomicFiles.write(DataPaths.summaryBeside(out), Json.PRETTY.writeValueAsBytes(summary));
    }

    private static void counts(ObjectNode node, Counts counts) {
        node.put("samples", counts.samples());
        node.put("kept", counts.kept());
        node.put("passed", counts.passed());
        node.put("bypassed", counts.bypassed());
        node.put("dropped", counts.dropped());
        node.put("dropped_siglip_too_low", counts.siglipTooLow());
        node.put("dropped_dinov2_too_high", counts.dinov2TooHigh());
    }
}
