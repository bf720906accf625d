package org.vco4j.cli;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.objective.Hyperparameters;
import org.vco4j.objective.LogProbTableFile;
import org.vco4j.objective.Objective;
import org.vco4j.objective.ObjectiveOutput;
import org.vco4j.objective.Objectives;
import org.vco4j.request.Request;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code vco objectives}: lists the training objectives with their requests and defaults; {@code show NAME}
 * prints one formula; {@code eval NAME --logps FILE.json} evaluates the loss and metrics of a hand-made table
 * of log-probabilities (layout in {@code docs/objectives-eval.md}).
 */
@Command(name = "objectives",
        description = "List the training objectives, show their formulas, evaluate them on given log-probabilities.")
public final class ObjectivesCommand implements Callable<Integer> {
    private static final int WIDTH = 100;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    /** Lists every objective. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String name : Objectives.names()) {
            Objective objective = Objectives.create(name);
            out.printf("%-8s %s%n", name, objective.title());
            out.print(wrapped("  requests  ", requestNames(objective)));
            out.print(wrapped("  defaults  ", objective.hyperparameters().entries().stream()
                    .map(entry -> entry.key() + "=" + entry.value()).toList()));
            out.println();
        }
        out.println("'objectives show NAME' prints a formula; 'objectives eval NAME --logps FILE.json' evaluates one.");
        out.flush();
        return 0;
    }

    @Command(name = "show",
            description = "Print an objective's formula, requests and hyper-parameters.")
    int show(@Parameters(paramLabel = "NAME", description = "an objective, e.g. s-vco") String name,
             @Mixin HyperparameterSettings settings) {
        Objective objective = objective("show", name, settings.values);
        PrintWriter out = spec.commandLine().getOut();
        out.println(objective.name() + ": " + objective.title());
        out.println();
        out.println(objective.formula());
        out.println();
        out.print(wrapped("requests (" + objective.requests().size() + ")  ", requestNames(objective)));
        out.println("hyper-parameters:");
        List<Hyperparameters.Entry> entries = objective.hyperparameters().entries();
        int width = entries.stream().mapToInt(entry -> (entry.key() + "=" + entry.value()).length()).max().orElse(0);
        for (Hyperparameters.Entry entry : entries) {
            String changed = entry.value().equals(entry.defaultValue()) ? "" : "; default " + entry.defaultValue();
            out.printf("  %-" + width + "s  %s%n", entry.key() + "=" + entry.value(),
                    entry.description() + "; " + entry.expects() + changed);
        }
        out.flush();
        return 0;
    }

    @Command(name = "eval",
            description = "Evaluate an objective's loss and metrics on a JSON table of log-probabilities.")
    int eval(@Parameters(paramLabel = "NAME", description = "an objective, e.g. dpo") String name,
             @Option(names = "--logps", required = true, paramLabel = "FILE.json",
                     description = "per sample: request name -> policy, reference, tokens (docs/objectives-eval.md)")
             Path logps,
             @Mixin HyperparameterSettings settings) {
        Objective objective = objective("eval", name, settings.values);
        PrintWriter out = spec.commandLine().getOut();
        try (PointerScope scope = new PointerScope()) {
            ObjectiveOutput output = objective.compute(LogProbTableFile.read(logps, objective));
            out.println("objective  " + objective.name() + " (" + objective.hyperparameters().entries().stream()
                    .map(entry -> entry.key() + "=" + entry.value()).collect(Collectors.joining(" ")) + ")");
            out.println("loss       " + number(output.loss().item_double()));
            out.println();
            int width = output.metrics().keySet().stream().mapToInt(String::length).max().orElse(0);
            output.metrics().forEach((metric, value) -> out.printf("  %-" + width + "s  %s%n", metric, number(value)));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        out.flush();
        return 0;
    }

    /** The named objective with the settings applied; a usage error (exit code 2) when either is wrong. */
    private Objective objective(String subcommand, String name, Map<String, String> settings) {
        CommandLine commandLine = spec.commandLine().getSubcommands().get(subcommand);
        try {
            Objective objective = Objectives.create(name);
            if (settings != null) settings.forEach(objective::set);
            return objective;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    private static List<String> requestNames(Objective objective) {
        return objective.requests().stream().map(Request::name).toList();
    }

    /** {@code label} then the words, comma-separated, wrapped under the label. */
    private static String wrapped(String label, List<String> words) {
        StringBuilder text = new StringBuilder(label);
        int lineStart = 0;
        String indent = " ".repeat(label.length());
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i) + (i < words.size() - 1 ? "," : "");
            if (text.length() - lineStart + word.length() + 1 > WIDTH && text.length() - lineStart > label.length()) {
                text.append(System.lineSeparator());
                lineStart = text.length();
                text.append(indent);
            } else if (i > 0) {
                text.append(' ');
            }
            text.append(word);
        }
        return text.append(System.lineSeparator()).toString();
    }

    /** Ten significant digits, no exponent, no trailing zeros. */
    private static String number(double value) {
        if (!Double.isFinite(value)) return String.valueOf(value);
        return new BigDecimal(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    /** The options of {@code show} and {@code eval}: hyper-parameter settings and help. */
    static final class HyperparameterSettings {
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "set a hyper-parameter (repeatable)")
        Map<String, String> values;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;
    }
}
