package org.vco4j.train.optim;

import java.util.Locale;

/**
 * The learning rate at every optimizer step, computed with the formulas of Hugging Face's {@code
 * transformers.optimization} ({@code get_linear_schedule_with_warmup}, {@code get_cosine_schedule_with_warmup}
 * with {@code num_cycles = 0.5}, {@code get_constant_schedule[_with_warmup]}), so a run here and a run with
 * the Trainer see the same numbers.
 *
 * <p>{@code step} counts updates already applied: {@link #learningRate}(0) is the rate of the first update,
 * which is 0 when there is warmup, exactly as the Trainer's {@code LambdaLR} starts.
 *
 * @param type the shape after warmup
 * @param peakLearningRate the rate reached at the end of warmup (the Trainer's {@code learning_rate})
 * @param totalSteps number of optimizer updates in the run
 * @param warmupSteps number of updates of linear warmup from 0
 */
public record LearningRateSchedule(Type type, double peakLearningRate, long totalSteps, long warmupSteps) {

    /** Schedule shapes, named as the Trainer's {@code lr_scheduler_type}. */
    public enum Type {
        /** Linear warmup, then linear decay to 0 at {@code totalSteps}. */
        LINEAR,
        /** Linear warmup, then half a cosine wave from the peak down to 0 at {@code totalSteps}. */
        COSINE,
        /** The peak from the first step; the Trainer's "constant" ignores warmup, and so does this. */
        CONSTANT,
        /** Linear warmup, then the peak. */
        CONSTANT_WITH_WARMUP;

        /** The type called {@code name} by the Trainer ({@code "cosine"}, {@code "constant_with_warmup"}, ...). */
        public static Type fromName(String name) {
            for (Type t : values()) {
                if (t.hfName().equals(name)) return t;
            }
            throw new IllegalArgumentException("unknown learning rate schedule '" + name + "'; expected one of "
                    + "linear, cosine, constant, constant_with_warmup");
        }

        /** The Trainer's name for this type. */
        public String hfName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // get_cosine_schedule_with_warmup's default: half a period, from the peak down to zero.
    private static final double NUM_CYCLES = 0.5;

    public LearningRateSchedule {
        if (type == null) throw new IllegalArgumentException("schedule type must be given");
        if (!(peakLearningRate >= 0) || Double.isInfinite(peakLearningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0: " + peakLearningRate);
        }
        if (totalSteps < 1) throw new IllegalArgumentException("total steps must be >= 1: " + totalSteps);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup steps must be >= 0: " + warmupSteps);
    }

    /** A schedule whose warmup is {@link #warmupSteps(long, double)} of {@code totalSteps}. */
    public static LearningRateSchedule withWarmupRatio(Type type, double peakLearningRate, long totalSteps, double warmupRatio) {
        return new LearningRateSchedule(type, peakLearningRate, totalSteps, warmupSteps(totalSteps, warmupRatio));
    }

    /**
     * The Trainer's {@code get_warmup_steps}: {@code ceil(totalSteps · ratio)} in double precision, so that,
     * as there, a ratio of 0.07 of 100 steps gives 8 (100 · 0.07 is 7.000000000000001).
     */
    public static long warmupSteps(long totalSteps, double warmupRatio) {
        if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
            throw new IllegalArgumentException("warmup ratio must be in [0, 1]: " + warmupRatio);
        }
        return (long) Math.ceil(totalSteps * warmupRatio);
    }

    /** The multiplier of the peak rate at {@code step} (the Trainer's {@code lr_lambda}). */
    public double factor(long step) {
        if (step < 0) throw new IllegalArgumentException("step must be >= 0: " + step);
        if (type == Type.CONSTANT) return 1.0;
        if (step < warmupSteps) return (double) step / (double) Math.max(1, warmupSteps);
        return switch (type) {
            case CONSTANT_WITH_WARMUP -> 1.0;
            case LINEAR -> Math.max(0.0, (double) (totalSteps - step) / (double) Math.max(1, totalSteps - warmupSteps));
            case COSINE -> {
                double progress = (double) (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps);
                // Past totalSteps the cosine rises again, as the Trainer's formula does.
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * NUM_CYCLES * 2.0 * progress)));
            }
            case CONSTANT -> throw new AssertionError("handled above");
        };
    }

    /** The learning rate of update number {@code step} (0-based). */
    public double learningRate(long step) {
        return peakLearningRate * factor(step);
    }
}
