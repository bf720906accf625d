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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code vco data mvc-filter}: the vision-centric filter of S-VCO's MVC data (§4, after the CLIP-blind idea). A
 * candidate pair of images {@code [m, m']} is kept when SigLIP finds it alike in meaning (cosine above
 * {@code siglipMin}: the same scene, hard for a VLM) and DINOv2 finds it different in appearance (cosine below
 * {@code dinov2Max}: a real visual contrast). Pairs whose contrast type is in {@code bypass} skip the filter: S-VCO's
 * Appendix A leaves the non-synthetic "Left-Right" position flips unfiltered "but randomly sampled the data proportional
 * to its original category distribution in the source datasets". So by default ({@link BypassShare#SOURCE}) a seeded
 * random draw keeps as many of each bypassed type as give it, in the output, the share it has among the candidates
 * (never more than there are); {@link BypassShare#ALL} keeps every one.
 *
 * <p>Images are found in the embeddings files by their path relative to {@code imageRoot} (the folder that was
 * embedded; by default the data file's folder). The kept samples are written in the sample format, unchanged, with
 * {@code FILE.summary.json}: the kept/dropped table per contrast type.
 */
public final class MvcFilter {
    /** The contrast type of samples that have none, in the table. */
    public static final String UNSPECIFIED = "(none)";

    /** How many samples of a bypassed contrast type are kept. */
    public enum BypassShare {
        /** As many as give the type its share of the candidates in the output (the paper's rule), drawn at random. */
        SOURCE,
        /** Every one. */
        ALL;

        /** The option value, {@code source} or {@code all}. */
        public String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param siglipMin   keep pairs whose SigLIP cosine is above this
     * @param dinov2Max   and whose DINOv2 cosine is below this
     * @param bypass      contrast types that skip the filter (compared ignoring case)
     * @param bypassShare how many of a bypassed type are kept
     * @param seed        the seed of the draw of bypassed samples
     */
    public record Settings(double siglipMin, double dinov2Max, Set<String> bypass, BypassShare bypassShare, long seed) {
        /** The paper's settings for the thresholds given: position flips bypass the filter at their source share. */
        public Settings(double siglipMin, double dinov2Max, Set<String> bypass) {
            this(siglipMin, dinov2Max, bypass, BypassShare.SOURCE, 0);
        }

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
     * in each reason it fails. A bypassed type's samples are {@code bypassed} (kept without the filter) or
     * {@code unsampled} (left out by the draw to the type's source share).
     */
    public record Counts(int samples, int passed, int bypassed, int unsampled, int dropped, int siglipTooLow, int dinov2TooHigh) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0);

        /** Samples kept: passed the filter or bypassed it. */
        public int kept() {
            return passed + bypassed;
        }

        Counts plus(Counts other) {
            return new Counts(samples + other.samples, passed + other.passed, bypassed + other.bypassed, unsampled + other.unsampled,
                    dropped + other.dropped, siglipTooLow + other.siglipTooLow, dinov2TooHigh + other.dinov2TooHigh);
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
            int width = Math.max(14, byContrast.keySet().stream().mapToInt(String::length).max().orElse(0));
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %8s %8s %8s %8s %9s %8s %12s %12s%n",
                    "contrast", "samples", "kept", "passed", "bypassed", "unsampled", "dropped", "siglip<=min", "dinov2>=max"));
            byContrast.forEach((type, counts) -> text.append(row(width, type, counts)));
            return text.append(row(width, "total", total())).toString();
        }

        private static String row(int width, String type, Counts c) {
            return String.format(Locale.ROOT, "%-" + width + "s %8d %8d %8d %8d %9d %8d %12d %12d%n", type, c.samples(), c.kept(),
                    c.passed(), c.bypassed(), c.unsampled(), c.dropped(), c.siglipTooLow(), c.dinov2TooHigh());
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
        boolean[] keep = new boolean[samples.size()];
        Map<String, List<Integer>> bypassed = new TreeMap<>();
        int passedCount = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            String where = data + ": sample '" + sample.id() + "'";
            if (sample.images().size() != 2) {
                throw new IllegalArgumentException(where + ": field \"images\": has one image; the filter compares a pair [m, m']");
            }
            if (settings.bypasses(sample.contrast())) {
                bypassed.computeIfAbsent(sample.contrast(), type -> new ArrayList<>()).add(i);
                continue;
            }
            int m = row(rows, root, sample.images().get(0), where + ": field \"images\"[0]", siglipFile);
            int mPrime = row(rows, root, sample.images().get(1), where + ": field \"images\"[1]", siglipFile);
            boolean siglipTooLow = !(siglip.cosine(m, mPrime) > settings.siglipMin());
            boolean dinov2TooHigh = !(dinov2.cosine(m, mPrime) < settings.dinov2Max());
            boolean passed = !siglipTooLow && !dinov2TooHigh;
            keep[i] = passed;
            if (passed) passedCount++;
            String type = sample.contrast() == null ? UNSPECIFIED : sample.contrast();
            byContrast.merge(type, new Counts(1, passed ? 1 : 0, 0, 0, passed ? 0 : 1, siglipTooLow ? 1 : 0, dinov2TooHigh ? 1 : 0),
                    Counts::plus);
        }
        int bypassedCount = bypassed.values().stream().mapToInt(List::size).sum();
        Random random = new Random(settings.seed());
        for (var type : bypassed.entrySet()) {
            List<Integer> candidates = new ArrayList<>(type.getValue());
            int take = settings.bypassShare() == BypassShare.ALL || bypassedCount == samples.size() ? candidates.size()
                    : (int) Math.min(candidates.size(), Math.round((double) passedCount * candidates.size() / (samples.size() - bypassedCount)));
            Collections.shuffle(candidates, random);
            for (int i : candidates.subList(0, take)) keep[i] = true;
            byContrast.merge(type.getKey(), new Counts(candidates.size(), 0, take, candidates.size() - take, 0, 0, 0), Counts::plus);
        }
        List<Sample> kept = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) if (keep[i]) kept.add(samples.get(i));

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
        summary.put("bypass_share", settings.bypassShare().optionName());
        summary.put("seed", settings.seed());
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
        node.put("unsampled", counts.unsampled());
        node.put("dropped", counts.dropped());
        node.put("dropped_siglip_too_low", counts.siglipTooLow());
        node.put("dropped_dinov2_too_high", counts.dinov2TooHigh());
    }
}
