package org.vco4j.demo;

import org.vco4j.common.StopSignals;
import org.vco4j.data.world.Scene;
import org.vco4j.train.TrainingStoppedException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole pipeline on the synthetic world, as {@code vco demo} runs it: generate the world, train a tiny
 * base VLM by SFT, build the contrastive data, train every method from the same base with the same budget,
 * evaluate all, and write the comparison table and {@code report.md}.
 */
public final class Demo {
    /** Method name → (objective, training data, objective settings). */
    record Method(String name, String objective, String data, Map<String, String> settings) {}

    static final List<Method> METHODS = List.of(
            new Method("SFT", "sft", "contrast", Map.of("both_pairs", "true")),
            new Method("DPO", "dpo", "pairs", Map.of()),
            new Method("mDPO", "mdpo", "pairs", Map.of()),
            new Method("VCO", "vco", "contrast", Map.of()),
            new Method("S-VCO", "s-vco", "contrast", Map.of()),
            new Method("IC-VCO", "ic-vco", "contrast", Map.of()),
            new Method("JoMPO", "jompo", "contrast", Map.of()),
            new Method("SeVa", "seva", "seva", Map.of()));

    /** The world's 64×64 pictures at full resolution: at 32×32 a tiny tower cannot tell a heart from a star. */
    static final String BASE_SIZE = "tiny-64";

    private final DemoSettings settings;
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private final int stages = 6;
    private int stage;

    public Demo(DemoSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs every stage. SIGTERM/SIGINT stop it at the next stage or training-step boundary (never inside native
     * code, which the JVM's own shutdown could crash) with a {@link TrainingStoppedException}.
     */
    public DemoResult run() throws IOException {
        try (StopSignals signals = StopSignals.install()) {
            this.signals = signals;
            return stages();
        } catch (TrainingStoppedException e) {
            throw new TrainingStoppedException(e.signal(), "stopped by SIG" + e.signal() + " at demo stage '" + currentStage
                    + "'; run the demo again to start over");
        } finally {
            this.signals = null;
        }
    }

    private StopSignals signals;

    private DemoResult stages() throws IOException {
        Path out = settings.out();
        DemoPipeline pipeline = new DemoPipeline(settings);

        begin("world", "generating " + settings.images() + " scenes");
        pipeline.world();
        Path world = pipeline.worldFolder();
        end();

        begin("base", "SFT of a random tiny LLaVA on the world's captions and questions");
        Path base = pipeline.base();
        end();

        begin("data", "minimal-contrast tuples, hallucination pairs and SeVa pairs");
        Map<String, Path> files = pipeline.data(base).files();
        end();

        begin("methods", "training " + METHODS.size() + " methods from the base, " + (settings.methods().isEmpty()
                ? settings.methodSteps() + " steps each" : "each with its own learning rate and steps"));
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("base", base);
        List<String> skipped = new ArrayList<>();
        for (Method method : METHODS) {
            if (!files.containsKey(method.data())) {
                skipped.add(method.name());
                continue;
            }
            System.err.println("  " + method.name() + " (" + method.objective() + ")");
            models.put(method.name(), pipeline.trainMethod(method, "method-" + method.objective(), base, files.get(method.data()),
                    settings.method(method.name())));
        }
        end();

        begin("eval", "POPE, MMVP pairs, neglect diagnostic and CHAIR on the held-out scenes");
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        List<Scene> exampleScenes = pipeline.scenes("eval").stream().limit(3).toList();
        for (Map.Entry<String, Path> model : models.entrySet()) {
            System.err.println("  " + model.getKey());
            metrics.put(model.getKey(), pipeline.evaluate(model.getValue(), world, true,
                    out.resolve("eval").resolve(model.getKey())));
            examples.put(model.getKey(), pipeline.captions(model.getValue(), exampleScenes));
        }
        end();

        begin("report", "comparison table and report.md");
        for (String name : skipped) metrics.put(name, Map.of());
        DemoReport report = new DemoReport(settings, metrics, examples, exampleScenes, world, models);
        String table = report.table();
        Path reportFile = report.write(out, stageSeconds);
        end();
        return new DemoResult(new ArrayList<>(models.keySet()), metrics, table, reportFile, stageSeconds);
    }

    private long started;

    private void begin(String name, String what) {
        if (signals != null && signals.stopRequested()) throw new TrainingStoppedException(signals.received(), "stopped");
        stage++;
        started = System.nanoTime();
        System.err.printf(Locale.ROOT, "[demo %d/%d] %s: %s%n", stage, stages, name, what);
        currentStage = name;
    }

    private String currentStage;

    private void end() {
        double seconds = (System.nanoTime() - started) / 1e9;
        stageSeconds.put(currentStage, seconds);
        System.err.printf(Locale.ROOT, "[demo %d/%d] %s done in %.1f s%n", stage, stages, currentStage, seconds);
    }

}
