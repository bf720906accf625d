package org.vco4j.eval;

import org.vco4j.data.world.Scene;
import org.vco4j.score.ScoreRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The visual-neglect diagnostic of S-VCO (Fig. 2): the perplexity of a scene's true caption under its own image,
 * under a contradicting image (another scene of which some sentence of the caption is false) and with no image.
 * A model that uses the image ranks them match &lt; mismatch and match &lt; none; a model that neglects it shows
 * little difference, or the reverse.
 *
 * <p>Metrics: {@code neglect/perplexity/{match,mismatch,none}/{mean,median}}, {@code neglect/match_below_mismatch}
 * and {@code neglect/match_below_none} (fractions of captions), {@code neglect/captions}.
 */
public final class NeglectDiagnostic {
    /** One caption's perplexities. */
    public record Caption(String scene, String mismatchScene, String caption, double perplexityMatch,
                          double perplexityMismatch, double perplexityNone) {}

    private final ForcedChoice scoring;
    private final Path worldFolder;
    private final List<Scene> scenes;
    private final long seed;

    public NeglectDiagnostic(ForcedChoice scoring, Path worldFolder, List<Scene> scenes, long seed) {
        this.scoring = scoring;
        this.worldFolder = worldFolder;
        this.scenes = List.copyOf(scenes);
        this.seed = seed;
    }

    public EvalResult run(EvalProgress progress) {
        List<ScoreRequest> requests = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (Scene scene : scenes) {
            Scene mismatch = contradicting(scene, scenes, seed);
            if (mismatch == null) continue;
            String caption = WorldQuestions.caption(scene);
            requests.add(new ScoreRequest(scene.id() + "/match", WorldQuestions.withImage(image(scene), WorldQuestions.DESCRIBE), caption));
            requests.add(new ScoreRequest(scene.id() + "/mismatch", WorldQuestions.withImage(image(mismatch), WorldQuestions.DESCRIBE), caption));
            requests.add(new ScoreRequest(scene.id() + "/none", WorldQuestions.withoutImage(WorldQuestions.DESCRIBE), caption));
            rows.add(new String[] {scene.id(), mismatch.id(), caption});
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the neglect diagnostic needs at least two scenes whose captions contradict each other, got "
                    + scenes.size() + " scene(s)");
        }
        List<double[]> scored = scoring.logpsAndTokens(requests, "neglect", progress);
        List<Caption> captions = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] match = scored.get(3 * i);
            double[] mismatch = scored.get(3 * i + 1);
            double[] none = scored.get(3 * i + 2);
            captions.add(new Caption(rows.get(i)[0], rows.get(i)[1], rows.get(i)[2], Perplexity.of(match[0], (long) match[1]),
                    Perplexity.of(mismatch[0], (long) mismatch[1]), Perplexity.of(none[0], (long) none[1])));
        }
        return new EvalResult("neglect", metrics(captions), captions);
    }

    public static Map<String, Double> metrics(List<Caption> captions) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        summarize(metrics, "match", captions, Caption::perplexityMatch);
        summarize(metrics, "mismatch", captions, Caption::perplexityMismatch);
        summarize(metrics, "none", captions, Caption::perplexityNone);
        metrics.put("neglect/match_below_mismatch",
                BinaryCounts.ratio(captions.stream().filter(c -> c.perplexityMatch() < c.perplexityMismatch()).count(), captions.size()));
        metrics.put("neglect/match_below_none",
                BinaryCounts.ratio(captions.stream().filter(c -> c.perplexityMatch() < c.perplexityNone()).count(), captions.size()));
        metrics.put("neglect/captions", (double) captions.size());
        return metrics;
    }

    private static void summarize(Map<String, Double> metrics, String condition, List<Caption> captions, ToDoubleFunction<Caption> value) {
        double[] values = captions.stream().mapToDouble(value).sorted().toArray();
        metrics.put("neglect/perplexity/" + condition + "/mean", values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElseThrow());
        metrics.put("neglect/perplexity/" + condition + "/median", median(values));
    }

    /** Median of sorted values (mean of the middle two for an even count). */
    static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** A seeded random scene of which some sentence of {@code scene}'s caption is false, or null when there is none. */
    static Scene contradicting(Scene scene, List<Scene> pool, long seed) {
        Set<String> sentences = sentences(scene);
        List<Scene> candidates = pool.stream().filter(other -> !sentences(other).containsAll(sentences)).toList();
        if (candidates.isEmpty()) return null;
        return candidates.get(new Random(PopeQuestions.sceneSeed(seed, scene.id())).nextInt(candidates.size()));
    }

    private static Set<String> sentences(Scene scene) {
        Set<String> sentences = new HashSet<>();
        scene.objects().forEach(o -> sentences.add(WorldQuestions.sentence(o)));
        return sentences;
    }

    private Path image(Scene scene) {
        return worldFolder.resolve(scene.image());
    }
}
