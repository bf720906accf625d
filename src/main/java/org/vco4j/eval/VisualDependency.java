package org.vco4j.eval;

import org.vco4j.eval.bench.BinaryCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much a benchmark needs the image (S-VCO, Fig. 6): its score with the image, with the image removed (no
 * image slot at all), and the relative drop (with − without) / with. POPE and MMVP are run both ways; the scores
 * compared are POPE's accuracy per split and MMVP's pair and question accuracy. Metrics:
 * {@code dependency/<metric>/{with_image,without_image,relative_drop}}, e.g.
 * {@code dependency/mmvp/pair_accuracy/relative_drop}; the drop is NaN when the score with image is 0.
 */
public final class VisualDependency {
    /** The scores compared. */
    public static final List<String> SCORES = List.of("pope/random/accuracy", "pope/popular/accuracy", "pope/adversarial/accuracy",
            "mmvp/pair_accuracy", "mmvp/question_accuracy");

    /** One score both ways. */
    public record Row(String metric, double withImage, double withoutImage, double relativeDrop) {}

    private final Pope pope;
    private final Mmvp mmvp;

    public VisualDependency(Pope pope, Mmvp mmvp) {
        this.pope = pope;
        this.mmvp = mmvp;
    }

    /** @param with POPE's and MMVP's metrics with the image (already measured: only the runs without it are made here) */
    public EvalResult run(Map<String, Double> with, EvalProgress progress) throws java.io.IOException {
        for (String score : SCORES) {
            if (!with.containsKey(score)) throw new IllegalArgumentException("the scores with the image lack " + score);
        }
        Map<String, Double> without = new LinkedHashMap<>(pope.run(false, progress).metrics());
        without.putAll(mmvp.run(false, progress).metrics());
        List<Row> rows = new ArrayList<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String score : SCORES) {
            Row row = new Row(score, with.get(score), without.get(score), relativeDrop(with.get(score), without.get(score)));
            rows.add(row);
            metrics.put("dependency/" + score + "/with_image", row.withImage());
            metrics.put("dependency/" + score + "/without_image", row.withoutImage());
            metrics.put("dependency/" + score + "/relative_drop", row.relativeDrop());
        }
        return new EvalResult("dependency", metrics, rows);
    }

    /** (with − without) / with; negative when the image hurts, NaN when the score with image is 0. */
    public static double relativeDrop(double withImage, double withoutImage) {
        return BinaryCounts.ratio(withImage - withoutImage, withImage);
    }
}
