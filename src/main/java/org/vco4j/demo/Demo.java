package org.vco4j.demo;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.Folders;
import org.vco4j.common.StopSignals;
import org.vco4j.data.Sample;
import org.vco4j.data.SampleReader;
import org.vco4j.data.seva.Augmentations;
import org.vco4j.data.seva.SevaPairs;
import org.vco4j.data.world.ContrastPairs;
import org.vco4j.data.world.HallucinationPairs;
import org.vco4j.data.world.Scene;
import org.vco4j.data.world.WorldGenerator;
import org.vco4j.data.world.WorldSettings;
import org.vco4j.eval.EvalOptions;
import org.vco4j.eval.EvalResult;
import org.vco4j.eval.EvalSuite;
import org.vco4j.model.ModelFamilies;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.generation.GenerationConfig;
import org.vco4j.model.generation.Generator;
import org.vco4j.model.nn.ParameterFactory;
import org.vco4j.train.TrainConfig;
import org.vco4j.train.Training;
import org.vco4j.train.TrainingStoppedException;
import org.vco4j.train.distributed.DistributedContext;

import java.io.IOException;
import java.nio.file.Files;
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
        Files.createDirectories(out);
        Path world = out.resolve("world");
        Path data = out.resolve("data");

        begin("world", "generating " + settings.images() + " scenes");
        WorldSettings worldSettings = WorldSettings.of(settings.seed(), settings.images(), 64, 0.8, 0.25, 0.8);
        List<Scene> scenes = WorldGenerator.generate(worldSettings, world, true);
        end();

        begin("base", "SFT of a random tiny LLaVA on the world's captions and questions");
        Path init = out.resolve("init");
        if (Files.exists(init)) Folders.deleteRecursively(init);
        ModelFamilies.named("llava").writeTiny(init, BASE_SIZE, settings.seed(), false);
        Path single = train("base-single", init, world.resolve(WorldGenerator.SFT_FILE), "sft", Map.of(),
                settings.baseSteps(), settings.baseLearningRate());
        Path base = train("base", single, world.resolve(WorldGenerator.SFT_PAIRS_FILE), "sft",
                Map.of("two_image_context", "true"), settings.contextSteps(), settings.baseLearningRate());
        end();

        begin("data", "minimal-contrast tuples, hallucination pairs and SeVa pairs");
        List<Scene> trainScenes = scenes.stream().filter(s -> s.split().equals("train")).toList();
        Files.createDirectories(data);
        Path contrast = data.resolve("contrast.jsonl");
        ContrastPairs.write(world, worldSettings, trainScenes, settings.seed(), contrast);
        Path pairs = data.resolve("pairs.jsonl");
        HallucinationPairs.write(world, worldSettings, trainScenes, settings.seed(), pairs);
        Path seva = sevaPairs(base, pairs, data.resolve("seva.jsonl"));
        end();

        begin("methods", "training " + METHODS.size() + " methods from the base, " + settings.methodSteps() + " steps each");
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("base", base);
        Map<String, Path> files = new LinkedHashMap<>(Map.of("contrast", contrast, "pairs", pairs));
        if (seva != null) files.put("seva", seva);
        List<String> skipped = new ArrayList<>();
        for (Method method : METHODS) {
            if (!files.containsKey(method.data())) {
                skipped.add(method.name());
                continue;
            }
            System.err.println("  " + method.name() + " (" + method.objective() + ")");
            models.put(method.name(), train("method-" + method.objective(), base, files.get(method.data()), method.objective(),
                    method.settings(), settings.methodSteps(), settings.methodLearningRate()));
        }
        end();

        begin("eval", "POPE, MMVP pairs, neglect diagnostic and CHAIR on the held-out scenes");
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        List<Scene> exampleScenes = scenes.stream().filter(s -> s.split().equals("eval")).limit(3).toList();
        for (Map.Entry<String, Path> model : models.entrySet()) {
            System.err.println("  " + model.getKey());
            metrics.put(model.getKey(), evaluate(model.getKey(), model.getValue(), world, model.getKey().equals("base")));
            examples.put(model.getKey(), captions(model.getValue(), world, exampleScenes));
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

    private Path train(String name, Path model, Path data, String objective, Map<String, String> objectiveSettings,
                       int steps, double learningRate) throws IOException {
        Path runFolder = settings.out().resolve("runs").resolve(name);
        if (Files.exists(runFolder)) Folders.deleteRecursively(runFolder);
        TrainConfig config = new TrainConfig();
        config.objective = objective;
        config.model = model;
        config.data = data;
        config.outputDir = runFolder;
        config.objectiveSettings.putAll(objectiveSettings);
        config.finetuning = "full";
        // The tower is the base's own, trained from scratch with it: the methods may sharpen it too.
        config.freezeVisionTower = false;
        config.maxSteps = steps;
        config.batchSize = settings.batchSize();
        config.learningRate = learningRate;
        config.warmupRatio = 0.1;
        config.lrSchedulerType = "cosine";
        config.saveSteps = steps + 1;
        config.loggingSteps = 1;
        config.seed = settings.seed();
        config.saveOnSignal = false; // a stopped demo starts over
        Training.run(config, DistributedContext.single(), false);
        return runFolder.resolve("model");
    }

    /** SeVa: the base answers each image and its diffusion-noised copy; differing answers become pairs. */
    private Path sevaPairs(Path base, Path pairsFile, Path out) throws IOException {
        List<Sample> samples = SampleReader.read(pairsFile).stream().limit(settings.sevaSamples()).toList();
        SevaPairs.Result result;
        try (PretrainedVlm vlm = PretrainedVlm.load(base, ParameterFactory.cpuFloat32())) {
            result = SevaPairs.write(samples, SevaPairs.greedyAnswerer(vlm, 24), List.of(Augmentations.named("diffusion-strong")),
                    settings.seed(), out, () -> {});
        }
        if (result.pairs().isEmpty()) {
            // Alg. 1 drops equal answers; a base that ignores the noise leaves SeVa nothing to learn from (and no data file).
            Files.delete(out);
            System.err.printf(Locale.ROOT, "  SeVa pairs: none (all %d answers on noised images equal the originals); SeVa is skipped%n",
                    result.droppedEqual());
            return null;
        }
        System.err.printf(Locale.ROOT, "  SeVa pairs: %d kept, %d dropped as equal%n", result.pairs().size(), result.droppedEqual());
        return out;
    }

    /** Every benchmark on one model; POPE's, MMVP's and CHAIR's files in their published formats stay in {@code eval/<name>/}. */
    private Map<String, Double> evaluate(String name, Path model, Path world, boolean withDependency) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        EvalOptions options = EvalOptions.defaults().withLimit(settings.evalLimit()).withSeed(settings.seed());
        Path files = settings.out().resolve("eval").resolve(name);
        if (Files.exists(files)) Folders.deleteRecursively(files);
        try (PretrainedVlm vlm = PretrainedVlm.load(model, ParameterFactory.cpuFloat32());
             EvalSuite suite = new EvalSuite(vlm.model(), vlm.processor(), world, options).benchmarkFilesInto(files)) {
            List<EvalResult> results = new ArrayList<>(List.of(suite.pope(), suite.mmvp(), suite.neglect(), suite.chair()));
            if (withDependency) results.add(suite.dependency());
            for (EvalResult result : results) metrics.putAll(result.metrics());
        }
        return metrics;
    }

    private List<String> captions(Path model, Path world, List<Scene> scenes) {
        List<String> out = new ArrayList<>();
        try (PretrainedVlm vlm = PretrainedVlm.load(model, ParameterFactory.cpuFloat32())) {
            Generator generator = new Generator(vlm.model(), vlm.processor());
            for (Scene scene : scenes) {
                try (PointerScope scope = new PointerScope()) {
                    out.add(generator.generate(new org.vco4j.model.processing.Context(List.of(world.resolve(scene.image())),
                            "<image>\nDescribe the image."), GenerationConfig.greedy(24)).text());
                }
            }
        }
        return out;
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
