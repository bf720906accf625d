package org.vco4j.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run found: named metrics (slash-separated, e.g. {@code pope/adversarial/f1}; NaN where a
 * metric is undefined, such as precision without any "yes") and one detail record per question, pair, caption
 * or scene, for looking at individual answers.
 */
public record EvalResult(String benchmark, Map<String, Double> metrics, List<?> details) {
    public EvalResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        details = List.copyOf(details);
    }

    /** The metric's value; fails on an unknown name, listing the known ones. */
    public double metric(String name) {
        Double value = metrics.get(name);
        if (value == null) throw new IllegalArgumentException(benchmark + ": no metric '" + name + "' (known: " + metrics.keySet() + ")");
        return value;
    }
}
