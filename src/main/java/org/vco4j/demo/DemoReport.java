package org.vco4j.demo;

import org.vco4j.common.AtomicFiles;
import org.vco4j.data.world.ContrastType;
import org.vco4j.data.world.Scene;
import org.vco4j.train.report.LinePlot;
import org.vco4j.train.report.MetricsLog;
import org.vco4j.train.report.MetricsRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The demo's comparison table (methods × metrics, with the change against the base) and its report.md. */
final class DemoReport {
    /** A column: metric key, header, and whether higher is better. */
    record Column(String key, String header, boolean higherIsBetter) {}

    static final List<Column> COLUMNS = List.of(
            new Column("pope/adversarial/accuracy", "POPE adv acc", true),
            new Column("pope/adversarial/f1", "POPE adv F1", true),
            new Column("pope/random/accuracy", "POPE rand acc", true),
            new Column("mmvp/pair_accuracy", "MMVP pairs", true),
            new Column("neglect/match_below_mismatch", "ppl m<m'", true),
            new Column("neglect/match_below_none", "ppl m<none", true),
            new Column("chair/chair_s", "CHAIR_s", false),
            new Column("chair/chair_i", "CHAIR_i", false),
            new Column("chair/fluency", "fluency", true));

    /** POPE's accuracy with the picture and without it (the same questions, no image slot). */
    static final List<Column> WITHOUT_IMAGE_COLUMNS = List.of(
            new Column("dependency/pope/random/accuracy/with_image", "rand", true),
            new Column("dependency/pope/random/accuracy/without_image", "rand, no image", true),
            new Column("dependency/pope/adversarial/accuracy/with_image", "adv", true),
            new Column("dependency/pope/adversarial/accuracy/without_image", "adv, no image", true));

    /** Every column a demo run records per model: the comparison's and POPE with and without the image. */
    static final List<Column> RECORDED_COLUMNS = Stream.concat(COLUMNS.stream(), WITHOUT_IMAGE_COLUMNS.stream()).toList();

    /** The share of greedy captions that are sentences of the world's grammar. */
    static final String FLUENCY = "chair/fluency";
    /**
     * Below this fluency a model is marked collapsed: more than one caption in ten is no sentence of the world's
     * grammar (the base's captions all are), so its CHAIR and caption scores describe broken text, not a picture.
     */
    static final double COLLAPSE_FLUENCY = 0.9;
    /** The mark after a collapsed model's name. */
    static final String COLLAPSED = "*";

    /** True when the model was evaluated and its fluency is below {@link #COLLAPSE_FLUENCY}. */
    static boolean collapsed(Map<String, Double> values) {
        Double fluency = values.get(FLUENCY);
        return fluency != null && fluency < COLLAPSE_FLUENCY;
    }

    /** The model's name, marked when it collapsed. */
    static String rowName(String model, Map<String, Double> values) {
        return collapsed(values) ? model + COLLAPSED : model;
    }

    /** The table's footnote on collapsed models, or "" when none collapsed. */
    String collapseNote() {
        List<String> names = metrics.entrySet().stream().filter(e -> collapsed(e.getValue())).map(Map.Entry::getKey).toList();
        if (names.isEmpty()) return "";
        return String.format(Locale.ROOT, "%s collapsed (fluency below %.2f: fewer than %.0f %% of its greedy captions are sentences of the "
                + "world's grammar): %s%n", COLLAPSED, COLLAPSE_FLUENCY, 100 * COLLAPSE_FLUENCY, String.join(", ", names));
    }

    /** The kinds of minimal edit, as the neglect diagnostic names them. */
    static final List<String> CONTRAST_TYPES = Arrays.stream(ContrastType.values()).map(ContrastType::label).toList();

    private final DemoSettings settings;
    private final Map<String, Map<String, Double>> metrics;
    private final Map<String, List<String>> examples;
    private final List<Scene> exampleScenes;
    private final Path world;
    private final Map<String, Path> models;

    DemoReport(DemoSettings settings, Map<String, Map<String, Double>> metrics, Map<String, List<String>> examples,
               List<Scene> exampleScenes, Path world, Map<String, Path> models) {
        this.settings = settings;
        this.metrics = metrics;
        this.examples = examples;
        this.exampleScenes = exampleScenes;
        this.world = world;
        this.models = models;
    }

    /** Plain-text table for the terminal: each cell the value and, for methods, the change against the base. */
    String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-8s", "model"));
        for (Column c : COLUMNS) out.append(String.format(Locale.ROOT, " %15s", c.header()));
        out.append('\n');
        Map<String, Double> base = metrics.get("base");
        for (Map.Entry<String, Map<String, Double>> row : metrics.entrySet()) {
            out.append(String.format(Locale.ROOT, "%-8s", rowName(row.getKey(), row.getValue())));
            for (Column c : COLUMNS) out.append(String.format(Locale.ROOT, " %15s", cell(row.getValue(), base, c, row.getKey().equals("base"))));
            out.append('\n');
        }
        out.append(collapseNote());
        return out.toString();
    }

    private static String cell(Map<String, Double> values, Map<String, Double> base, Column column, boolean isBase) {
        Double value = values.get(column.key());
        if (value == null || value.isNaN()) return "n/a";
        if (isBase) return String.format(Locale.ROOT, "%.3f", value);
        Double reference = base.get(column.key());
        if (reference == null || reference.isNaN()) return String.format(Locale.ROOT, "%.3f", value);
        return String.format(Locale.ROOT, "%.3f (%+.3f)", value, value - reference);
    }

    Path write(Path out, Map<String, Double> stageSeconds) throws IOException {
        Path assets = out.resolve("report-assets");
        Files.createDirectories(assets);
        StringBuilder md = new StringBuilder();
        md.append("# vco4j demo: every method on the synthetic contrast world\n\n");
        String methods = String.format(Locale.ROOT, "every method: %d steps, batch %d, learning rate %.0e", settings.methodSteps(),
                settings.batchSize(), settings.methodLearningRate());
        if (!settings.methods().isEmpty()) {
            // Demo.METHODS order, each with the setting it trained at (its own from the sweep, or the shared one).
            methods = String.format(Locale.ROOT, "every method at its setting from `vco bench sweep` (batch %d): ", settings.batchSize())
                    + String.join("; ", Demo.METHODS.stream().map(m -> m.name() + " " + settings.method(m.name()).label()).toList());
        }
        md.append(String.format(Locale.ROOT, "Seed %d; %d scenes (colour, count and co-occurrence priors 0.8); base: %s (existence "
                        + "questions, two-image contexts, single images); %s; full fine-tuning (the tiny vision tower included); "
                        + "evaluation on %d items per benchmark of the held-out scenes.%n%n", settings.seed(), settings.images(),
                settings.baseStepsLabel(), methods, settings.evalLimit()));
        md.append("## Results\n\nEach method cell: value (change against the base). Higher is better except CHAIR.\n\n");
        md.append("| model |");
        for (Column c : COLUMNS) md.append(' ').append(c.header()).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < COLUMNS.size(); i++) md.append("---:|");
        md.append('\n');
        Map<String, Double> base = metrics.get("base");
        for (Map.Entry<String, Map<String, Double>> row : metrics.entrySet()) {
            md.append("| ").append(rowName(row.getKey(), row.getValue()).replace("*", "\\*")).append(" |");
            for (Column c : COLUMNS) md.append(' ').append(cell(row.getValue(), base, c, row.getKey().equals("base"))).append(" |");
            md.append('\n');
        }
        String note = collapseNote();
        if (!note.isEmpty()) md.append('\n').append(note.replace("*", "\\*"));
        metrics.forEach((name, values) -> {
            if (values.isEmpty()) md.append("\n").append(name).append(" was skipped: the base gave the same answer on every "
                    + "original and noised image, so SeVa's Alg. 1 kept no pair.\n");
        });
        md.append("\n`ppl m<m'`: fraction of held-out captions less perplexing under their own image than under its minimal "
                + "contrast (the counterfactual twin of which the caption is false); `ppl m<none`: than with no image "
                + "(the visual-neglect diagnostic of S-VCO's Fig. 2). `fluency`: share of the CHAIR captions that are sentences of the "
                + "world's grammar; CHAIR rewards broken text (fewer objects, fewer errors), so read CHAIR only beside it.\n\n");
        md.append("### Neglect by contrast type\n\n`ppl m<m'` for each kind of minimal edit; 0.5 is blind.\n\n| model |");
        for (String type : CONTRAST_TYPES) md.append(' ').append(type).append(" |");
        md.append("\n|---|");
        for (int i = 0; i < CONTRAST_TYPES.size(); i++) md.append("---:|");
        md.append('\n');
        for (Map.Entry<String, Map<String, Double>> row : metrics.entrySet()) {
            if (row.getValue().isEmpty()) continue;
            md.append("| ").append(row.getKey()).append(" |");
            for (String type : CONTRAST_TYPES) {
                Column column = new Column("neglect/" + type + "/match_below_mismatch", type, true);
                md.append(' ').append(cell(row.getValue(), base, column, row.getKey().equals("base"))).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        md.append("### With and without the image\n\nPOPE's accuracy with the picture and with the same questions asked "
                + "without one (no image slot): how much of a yes/no comes from looking. A model that answers blind as well "
                + "as with the picture answers from the language prior.\n\n| model | random | random, no image | popular | "
                + "popular, no image | adversarial | adversarial, no image |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Double>> row : metrics.entrySet()) {
            if (!row.getValue().containsKey("dependency/pope/random/accuracy/without_image")) continue;
            md.append("| ").append(row.getKey()).append(" |");
            for (String split : List.of("random", "popular", "adversarial")) {
                for (String condition : List.of("with_image", "without_image")) {
                    md.append(String.format(Locale.ROOT, " %.3f |", row.getValue().get("dependency/pope/" + split + "/accuracy/" + condition)));
                }
            }
            md.append('\n');
        }
        md.append('\n');
        md.append("What this shows and does not show: one seed, a tiny model and a toy world. Differences of a few points "
                + "are within seed-to-seed noise; `vco bench demo --seeds K` repeats the comparison over seeds with mean ± std.\n\n");

        md.append("## Training curves\n\n");
        LinePlot plot = new LinePlot("Training loss by method").xLabel("step").yLabel("loss").size(900, 420);
        boolean any = false;
        for (String name : models.keySet()) {
            if (name.equals("base")) continue;
            Path metricsFile = models.get(name).getParent().resolve(MetricsLog.FILE_NAME);
            if (!Files.exists(metricsFile)) continue;
            List<MetricsRecord> records = MetricsLog.read(metricsFile);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (MetricsRecord r : records) {
                Object loss = r.values().get(MetricsRecord.LOSS);
                if (loss instanceof Number n) {
                    xs.add((double) r.step());
                    ys.add(n.doubleValue());
                }
            }
            if (xs.isEmpty()) continue;
            plot.series(name, xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray());
            any = true;
        }
        if (any) {
            plot.write(assets.resolve("training-loss.png"));
            md.append("![training loss](report-assets/training-loss.png)\n\nEach run's own `report.md` (under `runs/`) has "
                    + "its rewards, margins and accuracies.\n\n");
        }

        md.append("## Examples\n\nGreedy answers to \"Describe the image.\" on held-out scenes.\n\n");
        for (int i = 0; i < exampleScenes.size(); i++) {
            Scene scene = exampleScenes.get(i);
            String image = "example-" + (i + 1) + ".png";
            Files.copy(world.resolve(scene.image()), assets.resolve(image), StandardCopyOption.REPLACE_EXISTING);
            md.append("### ").append(scene.id()).append("\n\n![").append(scene.id()).append("](report-assets/").append(image).append(")\n\n");
            md.append("| model | answer |\n|---|---|\n");
            md.append("| ground truth | ").append(org.vco4j.data.world.Captions.describe(scene.objects())).append(" |\n");
            for (Map.Entry<String, List<String>> e : examples.entrySet()) {
                if (e.getValue().isEmpty()) continue;
                md.append("| ").append(e.getKey()).append(" | ").append(e.getValue().get(i).replace("|", "\\|")).append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Time\n\n| stage | seconds |\n|---|---:|\n");
        stageSeconds.forEach((stage, seconds) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", stage, seconds)));
        Path file = out.resolve("report.md");
        AtomicFiles.write(file, md.toString().getBytes(StandardCharsets.UTF_8));
        return file;
    }
}
