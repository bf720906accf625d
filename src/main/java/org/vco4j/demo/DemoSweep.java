package org.vco4j.demo;

import org.vco4j.common.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code vco bench sweep}: the methods' learning rates and steps chosen on the world's validation scenes. The demo's
 * world, base and data are built as the demo builds them ({@link DemoPipeline}); the method is trained from that base
 * at every (learning rate, steps) of the grid and every run, and the base, is evaluated on the validation scenes
 * (a second world of the same generator and priors, never trained on and never the demo's test scenes). The setting
 * chosen is the one {@link #CRITERION} names.
 */
public final class DemoSweep {
    /** How the sweep chooses, as {@code --help} and docs/results.md state it. */
    public static final String CRITERION = "the highest ppl m<m' (the share of validation captions less perplexing under their "
            + "own image than under its minimal contrast: the visual-neglect diagnostic) among the settings whose fluency is at "
            + "least 0.90 (at most one greedy caption in ten off the world's grammar; the demo's collapse mark) or, when the base "
            + "itself is below 0.90, at least the base's fluency less 0.05 (a method need not write better than its base); ties "
            + "go to the more fluent, then to the earlier setting; when no setting qualifies, the most fluent one (ties: the "
            + "higher ppl m<m', then the earlier)";

    /** The fluency a setting needs to be chosen on its neglect score, given the base's ({@link #CRITERION}). */
    static double fluencyNeeded(double baseFluency) {
        double floor = DemoReport.COLLAPSE_FLUENCY;
        return Double.isFinite(baseFluency) && baseFluency < floor ? baseFluency - 0.05 : floor;
    }

    private static final String NEGLECT = "neglect/match_below_mismatch";

    /** The learning rates and steps to try: every pair of the two lists. */
    public record Grid(List<Double> learningRates, List<Integer> steps) {
        public Grid {
            if (learningRates.isEmpty()) throw new IllegalArgumentException("--lr: give at least one learning rate");
            if (steps.isEmpty()) throw new IllegalArgumentException("--steps: give at least one number of steps");
            for (double lr : learningRates) {
                if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("--lr: " + lr + " is not a learning rate > 0");
            }
            for (int s : steps) if (s < 1) throw new IllegalArgumentException("--steps: " + s + " is not a number of steps ≥ 1");
            learningRates = List.copyOf(learningRates);
            steps = List.copyOf(steps);
        }

        /** Every setting, learning rate first. */
        List<MethodSetting> settings() {
            List<MethodSetting> all = new ArrayList<>();
            for (double lr : learningRates) for (int s : steps) all.add(new MethodSetting(lr, s));
            return all;
        }
    }

    /** One setting's validation metrics. */
    public record Row(MethodSetting setting, Map<String, Double> metrics) {
        /** Fluency at least {@link DemoReport#COLLAPSE_FLUENCY}. */
        public boolean fluent() {
            Double fluency = metrics.get(DemoReport.FLUENCY);
            return fluency != null && fluency >= DemoReport.COLLAPSE_FLUENCY;
        }

        double neglect() {
            return metrics.getOrDefault(NEGLECT, Double.NaN);
        }

        double fluency() {
            return metrics.getOrDefault(DemoReport.FLUENCY, Double.NaN);
        }
    }

    /**
     * @param method   the demo's method name (e.g. {@code S-VCO})
     * @param base     the base model's validation metrics, for reference
     * @param chosen   the chosen setting, empty when no setting was fluent
     * @param markdown {@code sweep.md} in the output folder
     */
    public record Result(String method, Map<String, Double> base, List<Row> rows, Optional<MethodSetting> chosen, String table,
                         Path markdown) {}

    private DemoSweep() {}

    /** The demo's method trained by the objective (or called) {@code name}: {@code s-vco} or {@code S-VCO}. */
    public static Demo.Method method(String name) {
        for (Demo.Method m : Demo.METHODS) {
            if (m.objective().equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) return m;
        }
        throw new IllegalArgumentException("--objective: '" + name + "' is none of the demo's methods ("
                + String.join(", ", Demo.METHODS.stream().map(Demo.Method::objective).toList()) + ")");
    }

    /**
     * Every method of a sweep: one world, base, data and base validation shared by all of them.
     *
     * @param markdown {@code sweep.md}: every method's table and the chosen settings
     */
    public record Outcome(List<Result> methods, Path markdown) {
        /** The chosen settings, by the demo's method name (methods with no fluent setting left out). */
        public Map<String, MethodSetting> chosen() {
            Map<String, MethodSetting> chosen = new LinkedHashMap<>();
            for (Result r : methods) r.chosen().ifPresent(s -> chosen.put(r.method(), s));
            return chosen;
        }
    }

    /** The demo's methods named by {@code names} ({@code all}: every one), in the demo's order, once each. */
    public static List<Demo.Method> methods(List<String> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("--objective: name at least one method");
        if (names.size() == 1 && names.get(0).equalsIgnoreCase("all")) return Demo.METHODS;
        Set<Demo.Method> named = new LinkedHashSet<>();
        for (String name : names) named.add(method(name.strip()));
        return Demo.METHODS.stream().filter(named::contains).toList();
    }

    /**
     * Builds the demo's world, base and data at {@code settings} once, then trains and validates every method of
     * {@code objectives} at every setting of the grid.
     */
    public static Outcome run(DemoSettings settings, List<String> objectives, Grid grid) throws IOException {
        List<Demo.Method> methods = methods(objectives);
        List<MethodSetting> settingsToTry = grid.settings();
        Path out = settings.out();
        DemoPipeline pipeline = new DemoPipeline(settings);
        int stages = 4 + methods.size() * settingsToTry.size();
        int stage = 0;
        stage(++stage, stages, "world and validation world, " + settings.images() + " scenes each");
        pipeline.world();
        Path validation = pipeline.validationWorld();
        stage(++stage, stages, "base model");
        Path base = pipeline.base();
        stage(++stage, stages, "data");
        Map<String, Path> files = pipeline.data(base).files();
        List<Demo.Method> trainable = methods.stream().filter(m -> files.get(m.data()) != null).toList();
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException(methods.get(0).name() + ": the base gave the same answer on every original and noised "
                    + "image, so SeVa's Alg. 1 kept no pair to train on (seed " + settings.seed() + ")");
        }
        if (trainable.size() < methods.size()) {
            System.err.println("  SeVa is left out of the sweep: its Alg. 1 kept no pair (seed " + settings.seed() + ")");
            methods = trainable;
            stages = 4 + methods.size() * settingsToTry.size();
        }
        stage(++stage, stages, "base on the validation scenes");
        Map<String, Double> baseMetrics = pipeline.evaluate(base, validation, false, out.resolve("validation-eval").resolve("base"));
        Path markdown = out.resolve("sweep.md");
        List<Result> results = new ArrayList<>();
        for (Demo.Method method : methods) {
            List<Row> rows = new ArrayList<>();
            for (MethodSetting setting : settingsToTry) {
                String run = runName(method, setting);
                stage(++stage, stages, method.name() + " at " + setting.label());
                Path model = pipeline.trainMethod(method, run, base, files.get(method.data()), setting);
                rows.add(new Row(setting, pipeline.evaluate(model, validation, false, out.resolve("validation-eval").resolve(run))));
            }
            Optional<MethodSetting> chosen = choose(rows, baseMetrics.getOrDefault(DemoReport.FLUENCY, Double.NaN));
            results.add(new Result(method.name(), baseMetrics, rows, chosen, table(method.name(), baseMetrics, rows, chosen), markdown));
            // Written after every method, so a long sweep stopped midway keeps what it finished.
            AtomicFiles.write(markdown, markdown(settings, results).getBytes(StandardCharsets.UTF_8));
        }
        return new Outcome(results, markdown);
    }

    /** The setting {@link #CRITERION} chooses. */
    static Optional<MethodSetting> choose(List<Row> rows, double baseFluency) {
        double needed = fluencyNeeded(baseFluency) - 1e-9; // the table's three decimals, not the float's last bit
        boolean anyFluent = rows.stream().anyMatch(r -> r.fluency() >= needed && Double.isFinite(r.neglect()));
        Comparator<Row> better = anyFluent
                ? Comparator.comparingDouble(Row::neglect).thenComparingDouble(Row::fluency)
                : Comparator.comparingDouble(Row::fluency).thenComparingDouble(Row::neglect);
        Row best = null;
        for (Row row : rows) {
            if ((anyFluent && !(row.fluency() >= needed)) || !Double.isFinite(row.neglect()) || !Double.isFinite(row.fluency())) continue;
            if (best == null || better.compare(row, best) > 0) best = row; // strictly better: ties keep the earlier
        }
        return Optional.ofNullable(best).map(Row::setting);
    }

    static String runName(Demo.Method method, MethodSetting setting) {
        return String.format(Locale.ROOT, "sweep-%s-lr%.0e-steps%d", method.objective(), setting.learningRate(), setting.steps());
    }

    private static void stage(int stage, int stages, String what) {
        System.err.printf(Locale.ROOT, "[sweep %d/%d] %s%n", stage, stages, what);
    }

    /** The terminal table: one row per setting (the base first), every demo column, the chosen row marked. */
    static String table(String method, Map<String, Double> base, List<Row> rows, Optional<MethodSetting> chosen) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s on the validation scenes%n", method));
        out.append(String.format(Locale.ROOT, "%-22s", "setting"));
        for (DemoReport.Column c : DemoReport.COLUMNS) out.append(String.format(Locale.ROOT, " %13s", c.header()));
        out.append('\n');
        out.append(String.format(Locale.ROOT, "%-22s", "base"));
        for (DemoReport.Column c : DemoReport.COLUMNS) out.append(String.format(Locale.ROOT, " %13s", value(base, c)));
        out.append('\n');
        for (Row row : rows) {
            String mark = chosen.isPresent() && chosen.get().equals(row.setting()) ? " <" : (row.fluent() ? "" : " *");
            out.append(String.format(Locale.ROOT, "%-22s", row.setting().label() + mark));
            for (DemoReport.Column c : DemoReport.COLUMNS) out.append(String.format(Locale.ROOT, " %13s", value(row.metrics(), c)));
            out.append('\n');
        }
        out.append(chosenLine(method, rows, chosen)).append('\n');
        return out.toString();
    }

    private static String chosenLine(String method, List<Row> rows, Optional<MethodSetting> chosen) {
        String threshold = String.format(Locale.ROOT, "%.2f", DemoReport.COLLAPSE_FLUENCY);
        boolean collapsed = chosen.flatMap(s -> rows.stream().filter(r -> r.setting().equals(s)).findFirst()).map(r -> !r.fluent()).orElse(false);
        return chosen.map(s -> "chosen (<): " + method + " " + s.label() + (collapsed ? " (itself below fluency " + threshold + ")" : ""))
                .orElse("no setting chosen: no run has both metrics")
                + "; * = collapsed (fluency below " + threshold + ")";
    }

    private static String value(Map<String, Double> metrics, DemoReport.Column c) {
        Double v = metrics.get(c.key());
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** {@code sweep.md}: the settings, the criterion, every method's table in docs/results.md's format and the choices. */
    static String markdown(DemoSettings settings, List<Result> results) {
        StringBuilder md = new StringBuilder("# Sweep: ");
        md.append(String.join(", ", results.stream().map(Result::method).toList())).append("\n\n");
        md.append(String.format(Locale.ROOT, "Seed %d; %d scenes per world; base %s; batch %d; validation: %d items "
                        + "per benchmark of the validation world's held-out scenes.%n%n", settings.seed(), settings.images(),
                settings.baseStepsLabel(), settings.batchSize(), settings.evalLimit()));
        md.append("Criterion: ").append(CRITERION).append(".\n\n");
        for (Result r : results) {
            md.append("## ").append(r.method()).append("\n\n");
            md.append(markdownTable(r.base(), r.rows(), r.chosen()));
            md.append('\n').append(chosenLine(r.method(), r.rows(), r.chosen())).append(".\n\n");
        }
        md.append("## Chosen\n\n| method | learning rate | steps | fluent |\n|---|---:|---:|---|\n");
        for (Result r : results) {
            boolean fluent = r.chosen().flatMap(s -> r.rows().stream().filter(row -> row.setting().equals(s)).findFirst())
                    .map(Row::fluent).orElse(false);
            md.append("| ").append(r.method()).append(" | ")
                    .append(r.chosen().map(s -> String.format(Locale.ROOT, "%.0e | %d", s.learningRate(), s.steps())).orElse("none | "))
                    .append(" | ").append(fluent ? "yes" : "no (collapsed at every setting)").append(" |\n");
        }
        return md.toString();
    }

    /** The sweep table of docs/results.md: | setting | columns… | with the base first and the chosen setting in bold. */
    static String markdownTable(Map<String, Double> base, List<Row> rows, Optional<MethodSetting> chosen) {
        StringBuilder md = new StringBuilder("| setting |");
        for (DemoReport.Column c : DemoReport.COLUMNS) md.append(' ').append(c.header()).append(" |");
        md.append("\n|---|");
        md.append("---:|".repeat(DemoReport.COLUMNS.size()));
        md.append("\n| base |");
        for (DemoReport.Column c : DemoReport.COLUMNS) md.append(' ').append(value(base, c)).append(" |");
        md.append('\n');
        for (Row row : rows) {
            boolean isChosen = chosen.isPresent() && chosen.get().equals(row.setting());
            String label = row.setting().label() + (row.fluent() ? "" : " \\*");
            md.append("| ").append(isChosen ? "**" + label + "**" : label).append(" |");
            for (DemoReport.Column c : DemoReport.COLUMNS) md.append(' ').append(value(row.metrics(), c)).append(" |");
            md.append('\n');
        }
        return md.toString();
    }
}
