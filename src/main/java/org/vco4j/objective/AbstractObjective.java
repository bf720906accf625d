package org.vco4j.objective;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;

/**
 * What every objective states once: its command-line name, its title (the method and its paper), and
 * the hyper-parameters its constructor binds to its fields. A subclass holds only its requests, its
 * equations and its formula text.
 */
public abstract class AbstractObjective implements Objective {
    private final String name;
    private final String title;
    /** The objective's hyper-parameters; the constructor defines each, bound to a field. */
    protected final Hyperparameters hyperparameters;

    protected AbstractObjective(String name, String title) {
        this.name = name;
        this.title = title;
        this.hyperparameters = new Hyperparameters(name);
    }

    /** A real-valued hyper-parameter bound to a field. */
    protected final void real(String key, double defaultValue, String description, DoubleConsumer field) {
        hyperparameters.real(key, defaultValue, description, field);
    }

    /** A hyper-parameter that must be > 0. */
    protected final void positive(String key, double defaultValue, String description, DoubleConsumer field) {
        hyperparameters.positive(key, defaultValue, description, field);
    }

    /** A hyper-parameter within [min, max]. */
    protected final void between(String key, double defaultValue, double min, double max, String description,
                                 DoubleConsumer field) {
        hyperparameters.between(key, defaultValue, min, max, description, field);
    }

    /** A whole number >= min. */
    protected final void count(String key, int defaultValue, int min, String description, IntConsumer field) {
        hyperparameters.count(key, defaultValue, min, description, field);
    }

    /** A switch (true/false). */
    protected final void flag(String key, boolean defaultValue, String description, Consumer<Boolean> field) {
        hyperparameters.flag(key, defaultValue, description, field);
    }

    /** One of a fixed list of values. */
    protected final void choice(String key, String defaultValue, List<String> choices, String description, Consumer<String> field) {
        hyperparameters.choice(key, defaultValue, choices, description, field);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String title() {
        return title;
    }

    @Override
    public final Hyperparameters hyperparameters() {
        return hyperparameters;
    }
}
