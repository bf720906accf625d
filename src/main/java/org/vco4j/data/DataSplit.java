package org.vco4j.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A deterministic train/validation split. The validation set is the {@code round(fraction · n)} samples
 * whose ids hash lowest under the seed, so a sample's side depends on its id and the seed, not on the file's
 * order, and adding samples moves few others. A positive fraction takes at least one sample, and the
 * training set always keeps at least one. Both sides keep the input order.
 */
public record DataSplit(List<Sample> train, List<Sample> validation) {
    public DataSplit {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * Splits {@code samples} (with distinct ids).
     *
     * @param validationFraction in [0, 1); 0 keeps every sample for training
     */
    public static DataSplit of(List<Sample> samples, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("val_fraction must be in [0, 1), got " + validationFraction);
        }
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples to split");
        int n = samples.size();
        int count = (int) Math.round(validationFraction * n);
        if (validationFraction > 0) count = Math.max(count, 1);
        count = Math.min(count, n - 1);

        record Ranked(Sample sample, long hash) {}
        List<Ranked> ranked = new ArrayList<>();
        for (Sample sample : samples) ranked.add(new Ranked(sample, SeededHash.of(seed, sample.id())));
        ranked.sort(Comparator.comparingLong(Ranked::hash).thenComparing(r -> r.sample().id()));
        Set<String> validationIds = new HashSet<>();
        for (int i = 0; i < count; i++) validationIds.add(ranked.get(i).sample().id());

        List<Sample> train = new ArrayList<>();
        List<Sample> validation = new ArrayList<>();
        for (Sample sample : samples) (validationIds.contains(sample.id()) ? validation : train).add(sample);
        return new DataSplit(train, validation);
    }
}
