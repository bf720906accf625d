package org.vco4j.eval;

import org.vco4j.common.Folders;
import org.vco4j.data.Sample;
import org.vco4j.data.world.Scene;
import org.vco4j.data.world.Scenes;
import org.vco4j.model.VisionLanguageModel;
import org.vco4j.model.image.ImageLoader;
import org.vco4j.model.processing.VlmProcessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every benchmark of the synthetic world on one already loaded model, for the command line and for in-process
 * callers (the demo evaluates its models between training runs without reloading them).
 *
 * <p>POPE, MMVP and CHAIR are written in their published formats and run through the public benchmarks' readers
 * and scorers ({@code eval.bench}), so every world evaluation exercises that code on real-format files; the files
 * go to {@link #benchmarkFilesInto} a folder, or to a temporary folder. MMVP pairs and the neglect diagnostic's
 * minimal contrasts are rendered from the world on first use, into a temporary folder this suite deletes on
 * {@link #close()} (MMVP pairs go elsewhere when {@link #renderPairsInto} names a folder to keep them, or come from
 * {@link #pairsFrom} a contrast file). The model is borrowed, not owned.
 */
public final class EvalSuite implements AutoCloseable {
    /** Benchmark names, in the order {@link #all()} runs them. */
    public static final List<String> BENCHMARKS = List.of("pope", "mmvp", "neglect", "chair", "dependency");

    private final VisionLanguageModel model;
    private final VlmProcessor processor;
    private final Path worldFolder;
    private final EvalOptions options;
    private final List<Scene> world;
    private final List<Scene> scenes;
    private final ForcedChoice choice;
    private EvalProgress progress = EvalProgress.NONE;
    private Path pairsFile;
    private Path pairsFolder;
    private Path benchmarkFolder;
    private Pope pope;
    private Mmvp mmvp;
    private EvalResult popeResult;
    private EvalResult mmvpResult;
    private Path temporaryFolder;
    private WorldStatistics statistics;
    private List<MmvpPair> pairs;
    private List<Sample> minimalContrasts;

    public EvalSuite(VisionLanguageModel model, VlmProcessor processor, Path worldFolder, EvalOptions options) throws IOException {
        this.model = model;
        this.processor = processor;
        this.worldFolder = worldFolder.toAbsolutePath().normalize();
        this.options = options;
        this.world = Scenes.read(this.worldFolder);
        List<Scene> split = world.stream().filter(s -> s.split().equals(options.split())).toList();
        if (split.isEmpty()) throw new IllegalArgumentException(this.worldFolder.resolve(Scenes.FILE_NAME) + ": no scene in split '" + options.split() + "'");
        this.scenes = options.limit() > 0 && split.size() > options.limit() ? split.subList(0, options.limit()) : split;
        this.choice = new ForcedChoice(model, processor, options.batchSize());
    }

    public EvalSuite withProgress(EvalProgress listener) {
        this.progress = listener;
        return this;
    }

    /** MMVP (and the dependency measurement) read their pairs from this contrast file instead of rendering them. */
    public EvalSuite pairsFrom(Path file) {
        this.pairsFile = file;
        return this;
    }

    /** Rendered pairs (images and {@value MmvpPairs#FILE_NAME}) go to this folder and stay there. */
    public EvalSuite renderPairsInto(Path folder) {
        this.pairsFolder = folder;
        return this;
    }

    /**
     * The benchmarks' files in their published formats ({@code pope/}, {@code mmvp/}, {@code chair/}, each with the
     * answers and the scorers' own result files) go to this folder and stay there.
     */
    public EvalSuite benchmarkFilesInto(Path folder) {
        this.benchmarkFolder = folder;
        return this;
    }

    /** The scenes being evaluated: the split, cut to the limit. */
    public List<Scene> scenes() {
        return scenes;
    }

    public EvalResult run(String benchmark) throws IOException {
        return switch (benchmark) {
            case "pope" -> pope();
            case "mmvp" -> mmvp();
            case "neglect" -> neglect();
            case "chair" -> chair();
            case "dependency" -> dependency();
            default -> throw new IllegalArgumentException("unknown benchmark '" + benchmark + "' (known: " + BENCHMARKS + ")");
        };
    }

    public List<EvalResult> all() throws IOException {
        List<EvalResult> results = new ArrayList<>();
        for (String benchmark : BENCHMARKS) results.add(run(benchmark));
        return results;
    }

    /** POPE with the image (run once; {@link #dependency} reuses it). */
    public EvalResult pope() throws IOException {
        if (popeResult == null) popeResult = popeBenchmark().run(true, progress);
        return popeResult;
    }

    /** MMVP with the image (run once; {@link #dependency} reuses it). */
    public EvalResult mmvp() throws IOException {
        if (mmvpResult == null) mmvpResult = mmvpBenchmark().run(true, progress);
        return mmvpResult;
    }

    public EvalResult neglect() throws IOException {
        return new NeglectDiagnostic(choice, minimalContrasts()).run(progress);
    }

    public EvalResult chair() throws IOException {
        return new Chair(model, processor, worldFolder, scenes, options.maxNewTokens(), benchmarkFolder("chair")).run(progress);
    }

    /** POPE and MMVP without the image beside their scores with it ({@link #pope}, {@link #mmvp}). */
    public EvalResult dependency() throws IOException {
        Map<String, Double> withImage = new LinkedHashMap<>(pope().metrics());
        withImage.putAll(mmvp().metrics());
        return new VisualDependency(popeBenchmark(), mmvpBenchmark()).run(withImage, progress);
    }

    /** The MMVP pairs in use (rendered on first call). */
    public List<MmvpPair> pairs() throws IOException {
        if (pairs == null) {
            if (pairsFile != null) {
                pairs = MmvpPairs.read(pairsFile, options.limit());
            } else {
                Path folder = pairsFolder;
                if (folder == null) folder = temporaryFolder().resolve("mmvp");
                List<Scene> split = world.stream().filter(s -> s.split().equals(options.split())).toList();
                pairs = MmvpPairs.render(worldFolder, split, statistics(), WorldPalette.estimate(worldFolder, world), folder,
                        options.seed(), options.limit());
                if (pairs.isEmpty()) throw new IllegalArgumentException(worldFolder + ": no scene of split '" + options.split()
                        + "' yields a contrast pair (each needs an object whose shape it shows once)");
            }
        }
        return pairs;
    }

    /**
     * The evaluated scenes' minimal contrasts (every type a scene admits, seeded), rendered on first call into
     * the temporary folder: the counterfactual twins of the neglect diagnostic.
     */
    public List<Sample> minimalContrasts() throws IOException {
        if (minimalContrasts == null) {
            Path folder = temporaryFolder().resolve("neglect");
            Path first = worldFolder.resolve(scenes.get(0).image());
            int side = ImageLoader.load(first).width();
            minimalContrasts = org.vco4j.data.world.ContrastPairs.build(worldFolder, side, scenes, options.seed(),
                    folder.resolve("contrast.jsonl"), folder.resolve("images")).samples();
            if (minimalContrasts.isEmpty()) {
                throw new IllegalArgumentException(worldFolder + ": no scene of split '" + options.split() + "' admits a minimal edit");
            }
        }
        return minimalContrasts;
    }

    private Path temporaryFolder() throws IOException {
        if (temporaryFolder == null) temporaryFolder = Files.createTempDirectory("vco4j-eval-");
        return temporaryFolder;
    }

    private WorldStatistics statistics() {
        if (statistics == null) statistics = WorldStatistics.of(world);
        return statistics;
    }

    private Pope popeBenchmark() throws IOException {
        if (pope == null) pope = new Pope(choice, worldFolder, scenes, statistics(), options.seed(), benchmarkFolder("pope"));
        return pope;
    }

    private Mmvp mmvpBenchmark() throws IOException {
        if (mmvp == null) mmvp = new Mmvp(choice, pairs(), benchmarkFolder("mmvp"));
        return mmvp;
    }

    /** A benchmark's folder of published-format files: under the folder given, or the temporary one. */
    private Path benchmarkFolder(String name) throws IOException {
        return (benchmarkFolder != null ? benchmarkFolder : temporaryFolder().resolve("benchmarks")).resolve(name);
    }

    /** Deletes the temporary folder of rendered pairs, if one was made. */
    @Override
    public void close() {
        if (temporaryFolder == null) return;
        try {
            Folders.deleteRecursively(temporaryFolder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        temporaryFolder = null;
    }
}
