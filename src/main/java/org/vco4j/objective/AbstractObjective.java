package org.vco4j.objective;

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
