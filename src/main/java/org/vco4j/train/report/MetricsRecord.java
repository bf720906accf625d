package org.vco4j.train.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one logged step of training reports: the step, the epoch (fractional, as the Hugging Face Trainer
 * logs it) and named values in the order they were added — {@code loss}, the objective's slash-named
 * metrics ({@code rewards/margins}, {@code logps/chosen}, ...), {@code learning_rate}, {@code grad_norm},
 * throughput and anything else. Values are numbers, strings or booleans.
 */
public record MetricsRecord(long step, double epoch, Map<String, Object> values) {
    public static final String STEP = "step";
    public static final String EPOCH = "epoch";
    public static final String LOSS = "loss";
    public static final String LEARNING_RATE = "learning_rate";
    public static final String GRAD_NORM = "grad_norm";
    public static final String SAMPLES_PER_SECOND = "samples_per_second";
    public static final String TOKENS_PER_SECOND = "tokens_per_second";
    /** Matrix-product operations executed per sample (forward, backward, reference), see {@code model.nn.Flops}. */
    public static final String FLOPS_PER_SAMPLE = "flops_per_sample";
    public static final String FLOPS_PER_SECOND = "flops_per_second";

    public MetricsRecord {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0: " + step);
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key == null || key.isEmpty()) throw new IllegalArgumentException("metric names must not be empty");
            if (key.equals(STEP) || key.equals(EPOCH)) {
                throw new IllegalArgumentException("'" + key + "' is a field of the record, not a value");
            }
            if (!(value instanceof Number || value instanceof String || value instanceof Boolean)) {
                throw new IllegalArgumentException("metric " + key + " has a value of type "
                        + (value == null ? "null" : value.getClass().getSimpleName()) + "; numbers, strings and booleans can be logged");
            }
            copy.put(key, value instanceof Number n ? normalize(n) : value);
        }
        values = Collections.unmodifiableMap(copy);
    }

    /** Integers stay integers (counts read back as they were written); every other number becomes a double. */
    private static Number normalize(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte ? (Number) n.longValue() : (Number) n.doubleValue();
    }

    /** A builder for the record of {@code step}. */
    public static Builder builder(long step, double epoch) {
        return new Builder(step, epoch);
    }

    /** The value called {@code name} as a double: NaN when absent or not a number. */
    public double number(String name) {
        return values.get(name) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Collects the values of one record in the order the JSON line will show them. */
    public static final class Builder {
        private final long step;
        private final double epoch;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(long step, double epoch) {
            this.step = step;
            this.epoch = epoch;
        }

        public Builder loss(double value) {
            return put(LOSS, value);
        }

        /** The objective's metrics, by their slash names. */
        public Builder metrics(Map<String, ? extends Number> metrics) {
            metrics.forEach(this::put);
            return this;
        }

        public Builder learningRate(double value) {
            return put(LEARNING_RATE, value);
        }

        /** The global gradient norm before clipping. */
        public Builder gradNorm(double value) {
            return put(GRAD_NORM, value);
        }

        public Builder throughput(double samplesPerSecond, double tokensPerSecond) {
            put(SAMPLES_PER_SECOND, samplesPerSecond);
            return put(TOKENS_PER_SECOND, tokensPerSecond);
        }

        /** Executed matrix-product operations per sample and per second. */
        public Builder flops(double perSample, double perSecond) {
            put(FLOPS_PER_SAMPLE, perSample);
            return put(FLOPS_PER_SECOND, perSecond);
        }

        /** Any other value; a name given twice keeps its first position and its last value. */
        public Builder put(String name, Object value) {
            values.put(name, value);
            return this;
        }

        public MetricsRecord build() {
            return new MetricsRecord(step, epoch, values);
        }
    }
}
