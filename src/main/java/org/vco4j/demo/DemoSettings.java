package org.vco4j.demo;

import java.nio.file.Path;

/**
 * The size of a demo run. {@link #quick} is the smoke-test scale (about two minutes on two cores);
 * {@link #full} the default (about ten). Every method gets the same budget.
 *
 * @param images         scenes in the world
 * @param baseSteps      SFT steps that turn a random tiny LLaVA into the base model (single-image data)
 * @param contextSteps   SFT steps on two-image contexts, so IC-VCO's anchors mean something to the base
 * @param methodSteps    optimizer steps every method trains for
 * @param sevaSamples    images the base answers (original vs. augmented) to build SeVa pairs
 * @param evalLimit      questions / pairs / captions per benchmark
 */
public record DemoSettings(Path out, long seed, int images, int baseSteps, int contextSteps, int methodSteps,
                           int batchSize, double baseLearningRate, double methodLearningRate, int sevaSamples,
                           int evalLimit) {

    public static DemoSettings full(Path out, long seed) {
        return new DemoSettings(out, seed, 1000, 1600, 200, 150, 16, 5e-4, 5e-4, 160, 60);
    }

    public static DemoSettings quick(Path out, long seed) {
        return new DemoSettings(out, seed, 200, 300, 30, 12, 16, 1e-3, 5e-4, 40, 12);
    }
}
