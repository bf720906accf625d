package org.vco4j.demo;

import org.bytedeco.javacpp.PointerScope;
import org.vco4j.common.Folders;
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
import org.vco4j.model.processing.Context;
import org.vco4j.train.TrainConfig;
import org.vco4j.train.Training;
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
 * The demo's stages as reusable steps, shared by {@link Demo}, {@link DemoSweep} and {@link DemoAblations}: the world,
 * the base model, the methods' data, training one method from the base, and evaluating a model on the world's
 * held-out test scenes or on its validation scenes. Everything goes under the settings' output folder.
 *
 * <p>The validation scenes ({@link #validationWorld}) are a second world drawn by the same generator with the same
 * priors and a seed derived from the demo's: scenes that neither the base nor any method trains on, and that are not
 * the test scenes the demo reports on. The world of the demo itself is generated exactly as before.
 */
final class DemoPipeline {
    /** The demo's world: 64×64 scenes, colour, count and co-occurrence priors 0.8, a quarter held out for evaluation. */
    static WorldSettings worldSettings(long seed, int images) {
        return WorldSettings.of(seed, images, 64, 0.8, 0.25, 0.8);
    }

    /** Mixed into the demo's seed for the validation world ("valid" in ASCII), so it never equals a demo world of a small seed. */
    static final long VALIDATION_SEED_MIX = 0x76616C6964L;

    /** The demo's SeVa augmentation (the paper's strong diffusion noise, step 800). */
    static final String SEVA_AUGMENTATION = "diffusion-strong";

    /** The methods' training files. */
    record Data(Path contrast, Path pairs, Path seva) {
        /** Data kind ({@link Demo.Method#data()}) → file; SeVa's only when it kept pairs. */
        Map<String, Path> files() {
            Map<String, Path> files = new LinkedHashMap<>(Map.of("contrast", contrast, "pairs", pairs));
            if (seva != null) files.put("seva", seva);
            return files;
        }
    }

    private final DemoSettings settings;
    private WorldSettings worldSettings;
    private List<Scene> scenes;

    DemoPipeline(DemoSettings settings) {
        this.settings = settings;
    }

    DemoSettings settings() {
        return settings;
    }

    Path worldFolder() {
        return settings.out().resolve("world");
    }

    /** Generates the world into {@code world/}; returns its scenes. */
    List<Scene> world() throws IOException {
        Files.createDirectories(settings.out());
        worldSettings = worldSettings(settings.seed(), settings.images());
        scenes = WorldGenerator.generate(worldSettings, worldFolder(), true);
        return scenes;
    }

    /** The world's scenes of one split ("train" or "eval"), after {@link #world()}. */
    List<Scene> scenes(String split) {
        if (scenes == null) throw new IllegalStateException("world() first");
        return scenes.stream().filter(s -> s.split().equals(split)).toList();
    }

    /**
     * The validation world in {@code validation-world/}: the demo's world settings with a derived seed; its
     * {@code eval} split is the validation split (its train split only gives POPE's object statistics).
     */
    Path validationWorld() throws IOException {
        Path folder = settings.out().resolve("validation-world");
        WorldGenerator.generate(worldSettings(settings.seed() ^ VALIDATION_SEED_MIX, settings.images()), folder, true);
        return folder;
    }

    /** The learning rate of the base's first stage (existence questions whose words lean towards an answer). */
    static final double EXISTENCE_LEARNING_RATE = 1e-3;

    /**
     * A random tiny LLaVA trained by SFT in three stages: existence questions whose words lean towards an answer (so its
     * yes/no answers learn to read the question: {@link org.vco4j.data.world.WorldSft#existenceScaffold}), two-image
     * contexts (so IC-VCO's anchors mean something to it), then the world's captions and balanced questions. The
     * single-image stage comes last: after it, 200 steps of two-image tuples (whose existence answers differ between
     * the two pictures) tilted the base's POPE answers towards "yes" (random split 0.77 → 0.61 on seed 0).
     */
    Path base() throws IOException {
        Path init = settings.out().resolve("init");
        if (Files.exists(init)) Folders.deleteRecursively(init);
        ModelFamilies.named("llava").writeTiny(init, Demo.BASE_SIZE, settings.seed(), false);
        Path world = worldFolder();
        Path existence = train("base-existence", init, world.resolve(WorldGenerator.SFT_EXISTENCE_FILE), "sft", Map.of(),
                settings.existenceSteps(), EXISTENCE_LEARNING_RATE);
        Path context = train("base-context", existence, world.resolve(WorldGenerator.SFT_PAIRS_FILE), "sft",
                Map.of("two_image_context", "true"), settings.contextSteps(), settings.baseLearningRate());
        return train("base", context, world.resolve(WorldGenerator.SFT_FILE), "sft", Map.of(),
                settings.baseSteps(), settings.baseLearningRate());
    }

    /** Minimal-contrast tuples and hallucination pairs of the training scenes, and SeVa pairs from the base's answers. */
    Data data(Path base) throws IOException {
        List<Scene> trainScenes = scenes("train");
        Path data = dataFolder();
        Files.createDirectories(data);
        Path contrast = data.resolve("contrast.jsonl");
        ContrastPairs.write(worldFolder(), worldSettings, trainScenes, settings.seed(), contrast);
        Path pairs = data.resolve("pairs.jsonl");
        HallucinationPairs.write(worldFolder(), worldSettings, trainScenes, settings.seed(), pairs);
        Path seva = sevaPairs(base, pairs, data.resolve("seva.jsonl"), SEVA_AUGMENTATION);
        return new Data(contrast, pairs, seva);
    }

    Path dataFolder() {
        return settings.out().resolve("data");
    }

    /** Trains {@code method} from {@code base} on its data with its learning rate and steps, into {@code runs/<run>}. */
    Path trainMethod(Demo.Method method, String run, Path base, Path data, MethodSetting setting) throws IOException {
        return train(run, base, data, method.objective(), method.settings(), setting.steps(), setting.learningRate());
    }

    /** One training run of the demo's recipe (full fine-tuning, tower included, cosine schedule) into {@code runs/<name>}. */
    Path train(String name, Path model, Path data, String objective, Map<String, String> objectiveSettings,
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

    /**
     * SeVa: the base answers each image and its augmented copy; differing answers become pairs. Returns null (and
     * writes no file) when every answer on an augmented image equals the original.
     */
    Path sevaPairs(Path base, Path pairsFile, Path out, String augmentation) throws IOException {
        List<Sample> samples = SampleReader.read(pairsFile).stream().limit(settings.sevaSamples()).toList();
        SevaPairs.Result result;
        try (PretrainedVlm vlm = PretrainedVlm.load(base, ParameterFactory.cpuFloat32())) {
            result = SevaPairs.write(samples, SevaPairs.greedyAnswerer(vlm, 24), List.of(Augmentations.named(augmentation)),
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

    /**
     * Every benchmark on one model, on the {@code eval} split of {@code world} (the test scenes of the demo's world, or
     * the validation scenes of {@link #validationWorld}); POPE's, MMVP's and CHAIR's files in their published formats
     * stay in {@code files}.
     */
    Map<String, Double> evaluate(Path model, Path world, boolean withDependency, Path files) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        EvalOptions options = EvalOptions.defaults().withLimit(settings.evalLimit()).withSeed(settings.seed());
        if (Files.exists(files)) Folders.deleteRecursively(files);
        try (PretrainedVlm vlm = PretrainedVlm.load(model, ParameterFactory.cpuFloat32());
             EvalSuite suite = new EvalSuite(vlm.model(), vlm.processor(), world, options).benchmarkFilesInto(files)) {
            List<EvalResult> results = new ArrayList<>(List.of(suite.pope(), suite.mmvp(), suite.neglect(), suite.chair()));
            if (withDependency) results.add(suite.dependency());
            for (EvalResult result : results) metrics.putAll(result.metrics());
        }
        return metrics;
    }

    /** Greedy answers to "Describe the image." on the given scenes. */
    List<String> captions(Path model, List<Scene> of) {
        List<String> out = new ArrayList<>();
        try (PretrainedVlm vlm = PretrainedVlm.load(model, ParameterFactory.cpuFloat32())) {
            Generator generator = new Generator(vlm.model(), vlm.processor());
            for (Scene scene : of) {
                try (PointerScope scope = new PointerScope()) {
                    out.add(generator.generate(new Context(List.of(worldFolder().resolve(scene.image())),
                            "<image>\nDescribe the image."), GenerationConfig.greedy(24)).text());
                }
            }
        }
        return out;
    }
}
