package org.vco4j.demo;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code vco bench ablations}: the papers' ablations in miniature, over seeds. For every seed the demo's world, base
 * and data are built as the demo builds them ({@link DemoPipeline}); every variant below is trained from that base
 * with its method's learning rate and steps ({@link DemoSettings#method}) and evaluated on the demo's held-out test
 * scenes; each cell is the mean ± sample standard deviation over the seeds.
 * <ul>
 *   <li>S-VCO: symmetric against one-sided VCO; without the no-image pivot (VisDPO: {@code m} against {@code m'}
 *       directly, the attend and reject margins summed inside one log-sigmoid); attend terms only and reject terms
 *       only ({@code beta} ≤ 0 switches a term off);</li>
 *   <li>S-VCO on the minimal contrasts filtered by the base tower's own embedding similarity ({@link TowerFilter})
 *       against all of them;</li>
 *   <li>IC-VCO with and without VCDist and the anchors ({@code vcdist=false}, {@code anchors=false});</li>
 *   <li>JoMPO with and without the Plackett–Luce ranking ({@code ranking=false}: pairwise) and the symmetric term
 *       ({@code symmetry=false});</li>
 *   <li>SeVa on pairs from weak, medium and strong diffusion noise (steps 500, 650 and 800 of 1000).</li>
 * </ul>
 */
public final class DemoAblations {
    /** One training: its method (whose learning rate and steps it uses), objective, data kind and objective settings. */
    record Variant(String id, String method, String objective, String data, Map<String, String> settings) {}

    /** A row of the table: its group, its label and the variant it shows (one variant may appear in two groups). */
    record Cell(String group, String label, String variant) {}

    static final List<Variant> VARIANTS = List.of(
            new Variant("s-vco", "S-VCO", "s-vco", "contrast", Map.of()),
            new Variant("vco", "VCO", "vco", "contrast", Map.of()),
            new Variant("s-vco-no-pivot", "S-VCO", "visdpo", "contrast", Map.of()),
            new Variant("s-vco-attend", "S-VCO", "s-vco", "contrast", Map.of("beta2", "0", "beta4", "0")),
            new Variant("s-vco-reject", "S-VCO", "s-vco", "contrast", Map.of("beta1", "0", "beta3", "0")),
            new Variant("s-vco-filtered", "S-VCO", "s-vco", "contrast-filtered", Map.of()),
            new Variant("ic-vco", "IC-VCO", "ic-vco", "contrast", Map.of()),
            new Variant("ic-vco-no-vcdist", "IC-VCO", "ic-vco", "contrast", Map.of("vcdist", "false")),
            new Variant("ic-vco-no-anchors", "IC-VCO", "ic-vco", "contrast", Map.of("anchors", "false")),
            new Variant("ic-vco-neither", "IC-VCO", "ic-vco", "contrast", Map.of("vcdist", "false", "anchors", "false")),
            new Variant("jompo", "JoMPO", "jompo", "contrast", Map.of()),
            new Variant("jompo-pairwise", "JoMPO", "jompo", "contrast", Map.of("ranking", "false")),
            new Variant("jompo-one-sided", "JoMPO", "jompo", "contrast", Map.of("symmetry", "false")),
            new Variant("seva-weak", "SeVa", "seva", "seva-weak", Map.of()),
            new Variant("seva-medium", "SeVa", "seva", "seva-medium", Map.of()),
            new Variant("seva-strong", "SeVa", "seva", "seva", Map.of()));

    static final List<Cell> CELLS = List.of(
            new Cell("reference", "base (no training)", "base"),
            new Cell("S-VCO symmetry and pivot", "S-VCO (symmetric)", "s-vco"),
            new Cell("S-VCO symmetry and pivot", "one-sided VCO", "vco"),
            new Cell("S-VCO symmetry and pivot", "S-VCO w/o no-image pivot (VisDPO)", "s-vco-no-pivot"),
            new Cell("S-VCO symmetry and pivot", "S-VCO attend terms only", "s-vco-attend"),
            new Cell("S-VCO symmetry and pivot", "S-VCO reject terms only", "s-vco-reject"),
            new Cell("S-VCO data filter", "S-VCO, unfiltered contrasts", "s-vco"),
            new Cell("S-VCO data filter", "S-VCO, tower-filtered contrasts", "s-vco-filtered"),
            new Cell("IC-VCO", "IC-VCO", "ic-vco"),
            new Cell("IC-VCO", "w/o VCDist", "ic-vco-no-vcdist"),
            new Cell("IC-VCO", "w/o anchors", "ic-vco-no-anchors"),
            new Cell("IC-VCO", "w/o VCDist and anchors", "ic-vco-neither"),
            new Cell("JoMPO", "JoMPO", "jompo"),
            new Cell("JoMPO", "w/o ranking (pairwise)", "jompo-pairwise"),
            new Cell("JoMPO", "w/o symmetric term", "jompo-one-sided"),
            new Cell("SeVa augmentation", "weak (diffusion 500)", "seva-weak"),
            new Cell("SeVa augmentation", "medium (diffusion 650)", "seva-medium"),
            new Cell("SeVa augmentation", "strong (diffusion 800)", "seva-strong"));

    /** SeVa's augmentation per data kind. */
    static final Map<String, String> SEVA_AUGMENTATIONS = Map.of("seva-weak", "diffusion-weak", "seva-medium", "diffusion:650",
            "seva", DemoPipeline.SEVA_AUGMENTATION);

    /**
     * @param values   variant id ("base" included) → metric key → one value per seed (NaN where a seed had none)
     * @param markdown {@code ablations.md} in the output folder
     */
    public record Result(Map<String, Map<String, List<Double>>> values, String table, Path markdown) {}

    private DemoAblations() {}

    /** Seeds 0..K-1 at the demo's full or quick scale, each seed in {@code out/seed-S}, every variant at its method's demo setting. */
    public static Result run(Path out, int seeds, boolean quick) throws IOException {
        return run(out, seeds, quick, null);
    }

    /**
     * As {@link #run(Path, int, boolean)}, but with {@code common} (when not null) every variant trains at that one
     * learning rate and number of steps instead of its method's demo setting: the papers compare a method's variants at
     * one setting, and a setting at which the method barely moves leaves nothing for its parts to explain.
     */
    public static Result run(Path out, int seeds, boolean quick, MethodSetting common) throws IOException {
        String scale = (quick ? "quick" : "full") + (common == null ? ", every variant at its method's demo setting"
                : ", every variant at " + common.label());
        return run(out, perSeed(out, seeds, quick, common), scale, VARIANTS);
    }

    /** Each seed's demo settings, with {@code common} (when not null) as every method's setting. */
    static List<DemoSettings> perSeed(Path out, int seeds, boolean quick, MethodSetting common) {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be ≥ 1, got " + seeds);
        List<DemoSettings> perSeed = new ArrayList<>();
        for (long seed = 0; seed < seeds; seed++) {
            Path folder = out.resolve("seed-" + seed);
            DemoSettings settings = quick ? DemoSettings.quick(folder, seed) : DemoSettings.full(folder, seed);
            if (common != null) {
                Map<String, MethodSetting> every = new LinkedHashMap<>();
                for (Demo.Method m : Demo.METHODS) every.put(m.name(), common);
                settings = settings.withMethods(every);
            }
            perSeed.add(settings);
        }
        return perSeed;
    }

    /** The given variants (and the base) over the given seeds' settings. */
    static Result run(Path out, List<DemoSettings> perSeed, String scale, List<Variant> variants) throws IOException {
        Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < perSeed.size(); i++) {
            DemoSettings settings = perSeed.get(i);
            System.err.printf(Locale.ROOT, "=== ablations, seed %d (%d of %d) ===%n", settings.seed(), i + 1, perSeed.size());
            Map<String, Map<String, Double>> metrics = oneSeed(settings, variants, notes);
            for (String id : ids(variants)) {
                Map<String, Double> m = metrics.getOrDefault(id, Map.of());
                Map<String, List<Double>> byKey = values.computeIfAbsent(id, k -> new LinkedHashMap<>());
                for (DemoReport.Column c : DemoReport.COLUMNS) {
                    byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(m.getOrDefault(c.key(), Double.NaN));
                }
            }
        }
        String table = table(values, perSeed.size());
        Path markdown = out.resolve("ablations.md");
        AtomicFiles.write(markdown, markdown(values, perSeed, scale, notes).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("ablations.json"), Json.PRETTY.writeValueAsBytes(values));
        return new Result(values, table, markdown);
    }

    /** "base" and the variants' ids, in order. */
    static List<String> ids(List<Variant> variants) {
        List<String> ids = new ArrayList<>(List.of("base"));
        for (Variant v : variants) ids.add(v.id());
        return ids;
    }

    /** One seed: the demo's world, base and data, the extra data of the ablations, every variant trained and evaluated. */
    /** One seed; what its data builders kept (the tower filter's thresholds, SeVa pairs) is added to {@code notes}. */
    private static Map<String, Map<String, Double>> oneSeed(DemoSettings settings, List<Variant> variants, List<String> notes)
            throws IOException {
        DemoPipeline pipeline = new DemoPipeline(settings);
        Path out = settings.out();
        System.err.println("[ablations] world, base and data");
        pipeline.world();
        Path world = pipeline.worldFolder();
        Path base = pipeline.base();
        DemoPipeline.Data data = pipeline.data(base);
        Map<String, Path> files = new LinkedHashMap<>(data.files());
        List<String> kinds = variants.stream().map(Variant::data).distinct().toList();
        if (kinds.contains("contrast-filtered")) {
            System.err.println("[ablations] contrasts filtered by the base tower");
            TowerFilter.Result filtered = TowerFilter.run(base, data.contrast(), out,
                    pipeline.dataFolder().resolve("tower-embeddings.safetensors"), pipeline.dataFolder().resolve("contrast-filtered.jsonl"));
            if (!filtered.counts().kept().isEmpty()) files.put("contrast-filtered", filtered.filtered());
            notes.add(String.format(Locale.ROOT, "seed %d: the tower filter kept %d of %d tuples (1 - cosine between %.3g and %.3g; "
                    + "position flips unfiltered)", settings.seed(), filtered.counts().total().kept(), filtered.counts().total().samples(),
                    1 - filtered.upperCosine(), 1 - filtered.lowerCosine()));
        }
        for (String kind : List.of("seva-weak", "seva-medium")) {
            if (!kinds.contains(kind)) continue;
            System.err.println("[ablations] SeVa pairs: " + SEVA_AUGMENTATIONS.get(kind));
            Path file = pipeline.sevaPairs(base, data.pairs(), pipeline.dataFolder().resolve(kind + ".jsonl"), SEVA_AUGMENTATIONS.get(kind));
            if (file != null) files.put(kind, file);
        }
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        System.err.println("[ablations] base");
        metrics.put("base", pipeline.evaluate(base, world, false, out.resolve("eval").resolve("base")));
        for (Variant v : variants) {
            Path file = files.get(v.data());
            if (file == null) {
                System.err.println("[ablations] " + v.id() + ": no " + v.data() + " data for this seed; skipped");
                notes.add("seed " + settings.seed() + ": " + v.id() + " skipped (no " + v.data() + " data: "
                        + (v.data().startsWith("seva") ? "the base answered every noised image as the original" : "the filter kept nothing") + ")");
                continue;
            }
            MethodSetting setting = settings.method(v.method());
            System.err.println("[ablations] " + v.id() + " (" + v.objective() + " " + v.settings() + ", " + setting.label() + ")");
            Path model = pipeline.train("ablation-" + v.id(), base, file, v.objective(), v.settings(), setting.steps(), setting.learningRate());
            metrics.put(v.id(), pipeline.evaluate(model, world, false, out.resolve("eval").resolve(v.id())));
        }
        return metrics;
    }

    /** The cell's label, marked {@link DemoReport#COLLAPSED} when its mean fluency over the seeds is below the demo's mark. */
    static String label(Cell cell, Map<String, Map<String, List<Double>>> values) {
        List<Double> fluency = values.get(cell.variant()).getOrDefault(DemoReport.FLUENCY, List.of()).stream().filter(Double::isFinite).toList();
        boolean collapsed = !fluency.isEmpty()
                && fluency.stream().mapToDouble(Double::doubleValue).average().orElseThrow() < DemoReport.COLLAPSE_FLUENCY;
        return collapsed ? cell.label() + " " + DemoReport.COLLAPSED : cell.label();
    }

    /** The footnote on the collapse mark. */
    static final String COLLAPSE_NOTE = String.format(Locale.ROOT, "%s collapsed: mean fluency below %.2f (more than one greedy caption in "
            + "ten off the world's grammar), so its CHAIR describes broken text", DemoReport.COLLAPSED, DemoReport.COLLAPSE_FLUENCY);

    /** The terminal table: one row per cell, every demo column as mean ± std. */
    static String table(Map<String, Map<String, List<Double>>> values, int seeds) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "mean ± std over %d seed(s)%n", seeds));
        out.append(String.format(Locale.ROOT, "%-36s", "variant"));
        for (DemoReport.Column c : DemoReport.COLUMNS) out.append(String.format(Locale.ROOT, " %15s", c.header()));
        out.append('\n');
        String group = null;
        for (Cell cell : CELLS) {
            if (!values.containsKey(cell.variant())) continue;
            if (!cell.group().equals(group)) {
                group = cell.group();
                out.append(group).append('\n');
            }
            out.append(String.format(Locale.ROOT, "  %-34s", label(cell, values)));
            for (DemoReport.Column c : DemoReport.COLUMNS) {
                out.append(String.format(Locale.ROOT, " %15s", DemoBenchmark.meanStd(values.get(cell.variant()).get(c.key()))));
            }
            out.append('\n');
        }
        return out.append(COLLAPSE_NOTE).append('\n').toString();
    }

    /** {@code ablations.md}: the scale, the seeds and the table in docs/results.md's format. */
    static String markdown(Map<String, Map<String, List<Double>>> values, List<DemoSettings> perSeed, String scale, List<String> notes) {
        DemoSettings first = perSeed.get(0);
        StringBuilder md = new StringBuilder("# Ablations over seeds\n\n");
        md.append(String.format(Locale.ROOT, "Scale: %s (%d scenes, base %s, %d evaluation items per benchmark of the "
                        + "test scenes); seeds %s; each cell mean ± std over the seeds (n/a: no seed had data for it).%n%n", scale,
                first.images(), first.baseStepsLabel(), first.evalLimit(),
                String.join(", ", perSeed.stream().map(s -> Long.toString(s.seed())).toList())));
        md.append(markdownTable(values)).append('\n').append(COLLAPSE_NOTE.replace("*", "\\*")).append(".\n");
        if (!notes.isEmpty()) md.append('\n').append(String.join("\n", notes.stream().map(n -> "- " + n).toList())).append('\n');
        return md.toString();
    }

    static String markdownTable(Map<String, Map<String, List<Double>>> values) {
        StringBuilder md = new StringBuilder("| ablation | variant |");
        for (DemoReport.Column c : DemoReport.COLUMNS) md.append(' ').append(c.header()).append(" |");
        md.append("\n|---|---|").append("---:|".repeat(DemoReport.COLUMNS.size())).append('\n');
        for (Cell cell : CELLS) {
            if (!values.containsKey(cell.variant())) continue;
            md.append("| ").append(cell.group()).append(" | ").append(label(cell, values).replace("*", "\\*")).append(" |");
            for (DemoReport.Column c : DemoReport.COLUMNS) {
                md.append(' ').append(DemoBenchmark.meanStd(values.get(cell.variant()).get(c.key()))).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}
