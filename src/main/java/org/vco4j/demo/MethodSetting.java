package org.vco4j.demo;

import java.util.Locale;

/**
 * One method's training budget in the demo: its learning rate and optimizer steps. {@code vco bench sweep} chooses
 * them per method on the world's validation scenes; until it has, every method gets the demo's shared default.
 */
public record MethodSetting(double learningRate, int steps) {
    public MethodSetting {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        if (steps < 1) throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
    }

    /** "lr 5e-04, 150 steps". */
    public String label() {
        return String.format(Locale.ROOT, "lr %.0e, %d steps", learningRate, steps);
    }
}
