package org.vco4j.eval;

import org.vco4j.eval.bench.BinaryCounts;
import org.vco4j.data.Sample;
import org.vco4j.request.Condition;
import org.vco4j.request.Request;
import org.vco4j.request.RequestBuilder;
import org.vco4j.request.Response;
import org.vco4j.request.ScoreRequest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The visual-neglect diagnostic of S-VCO (Fig. 2): the perplexity of a caption under the image it describes,
 * under that image's minimal contrast (the counterfactual twin of which the caption is false: one object, colour,
 * size, count or side changed) and with no image. A model that uses the image ranks them match &lt; mismatch and
 * match &lt; none; a model that neglects it shows little difference, or the reverse.
 *
 * <p>Each contrast tuple ({@code m}, {@code m'}, {@code y}, {@code y'}) gives two captions: {@code y} with
 * {@code m} against {@code m'}, and {@code y'} with {@code m'} against {@code m}.
 *
 * <p>Metrics: {@code neglect/perplexity/{match,mismatch,none}/{mean,median}}, {@code neglect/match_below_mismatch}
 * and {@code neglect/match_below_none} (fractions of captions), the first also per contrast type
 * ({@code neglect/<type>/match_below_mismatch}), and {@code neglect/captions}.
 */
public final class NeglectDiagnostic {
    /** One caption's perplexities. */
    public record Caption(String id, String contrast, String caption, double perplexityMatch,
                          double perplexityMismatch, double perplexityNone) {}

    /** Each caption under its own image, its counterfactual twin and no image: y|m y|m' y|none, y'|m' y'|m y'|none. */
    private static final List<List<Request>> CAPTION_REQUESTS = List.of(
            List.of(Request.of(Response.Y, Condition.IMAGE), Request.of(Response.Y, Condition.CONTRAST_IMAGE),
                    Request.of(Response.Y, Condition.NO_IMAGE)),
            List.of(Request.of(Response.Y_PRIME, Condition.CONTRAST_IMAGE), Request.of(Response.Y_PRIME, Condition.IMAGE),
                    Request.of(Response.Y_PRIME, Condition.NO_IMAGE)));

    private final ForcedChoice scoring;
    private final List<Sample> tuples;

    /** @param tuples minimal-contrast samples: two images, two responses (each true of its own image), a prompt */
    public NeglectDiagnostic(ForcedChoice scoring, List<Sample> tuples) {
        for (Sample tuple : tuples) {
            if (tuple.images().size() != 2 || tuple.responses().size() != 2) {
                throw new IllegalArgumentException("neglect tuple '" + tuple.id() + "': needs two images and two responses, got "
                        + tuple.images().size() + " and " + tuple.responses().size());
            }
        }
        if (tuples.isEmpty()) throw new IllegalArgumentException("the neglect diagnostic needs at least one minimal-contrast tuple");
        this.scoring = scoring;
        this.tuples = List.copyOf(tuples);
    }

    public EvalResult run(EvalProgress progress) {
        // A scene's caption recurs in each of its tuples with the same image and with none: scored once.
        Map<List<Object>, Integer> unique = new LinkedHashMap<>();
        List<ScoreRequest> requests = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        List<int[]> slots = new ArrayList<>();
        for (Sample tuple : tuples) {
            for (int own = 0; own < 2; own++) {
                String caption = tuple.responses().get(own);
                String id = tuple.id() + (own == 0 ? "/y" : "/y'");
                int[] slot = new int[3];
                for (int c = 0; c < 3; c++) {
                    ScoreRequest request = RequestBuilder.build(tuple, CAPTION_REQUESTS.get(own).get(c), false, null);
                    slot[c] = unique.computeIfAbsent(List.of(request.context(), caption), key -> {
                        requests.add(request);
                        return requests.size() - 1;
                    });
                }
                slots.add(slot);
                rows.add(new String[] {id, tuple.contrast() == null ? "pair" : tuple.contrast(), caption});
            }
        }
        List<double[]> scored = scoring.logpsAndTokens(requests, "neglect", progress);
        List<Caption> captions = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] match = scored.get(slots.get(i)[0]);
            double[] mismatch = scored.get(slots.get(i)[1]);
            double[] none = scored.get(slots.get(i)[2]);
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
        metrics.put("neglect/match_below_mismatch", belowMismatch(captions));
        metrics.put("neglect/match_below_none",
                BinaryCounts.ratio(captions.stream().filter(c -> c.perplexityMatch() < c.perplexityNone()).count(), captions.size()));
        for (String contrast : new TreeSet<>(captions.stream().map(Caption::contrast).toList())) {
            metrics.put("neglect/" + contrast + "/match_below_mismatch",
                    belowMismatch(captions.stream().filter(c -> c.contrast().equals(contrast)).toList()));
        }
        metrics.put("neglect/captions", (double) captions.size());
        return metrics;
    }

    private static double belowMismatch(List<Caption> captions) {
        return BinaryCounts.ratio(captions.stream().filter(c -> c.perplexityMatch() < c.perplexityMismatch()).count(), captions.size());
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
}
