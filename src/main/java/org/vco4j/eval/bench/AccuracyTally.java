package org.vco4j.eval.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Right answers over questions asked, per key (a source, task or category), the keys in the order they first come. */
final class AccuracyTally {
    private final Map<String, int[]> rightAndAsked = new LinkedHashMap<>();

    void add(String key, boolean right) {
        int[] counts = rightAndAsked.computeIfAbsent(key, k -> new int[2]);
        if (right) counts[0]++;
        counts[1]++;
    }

    Set<String> keys() {
        return rightAndAsked.keySet();
    }

    /** Right / asked for the key; NaN when none of it was asked. */
    double accuracy(String key) {
        int[] counts = rightAndAsked.get(key);
        return counts == null ? Double.NaN : (double) counts[0] / counts[1];
    }
}
