package org.vco4j.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * The size of a demo run. {@link #quick} is the smoke-test scale (about two minutes on two cores);
 * {@link #full} the default (about eight). Every method gets the same budget ({@code methodLearningRate},
 * {@code methodSteps}) unless {@code methods} names its own ({@link MethodSetting}, by the demo's method name, e.g.
 * {@code S-VCO}), as a {@code vco bench sweep} chooses it.
 *
 * @param images         scenes in the world
 * @param existenceSteps SFT steps of the base's first stage, on existence questions whose words lean towards an answer
 *                       (without it the base's yes/no answers stay at chance: {@code WorldSft#existenceScaffold})
 * @param baseSteps      SFT steps that turn a random tiny LLaVA into the base model (single-image data)
 * @param contextSteps   SFT steps on two-image contexts, so IC-VCO's anchors mean something to the base
 * @param methodSteps    optimizer steps every method trains for
 * @param sevaSamples    images the base answers (original vs. augmented) to build SeVa pairs
 * @param evalLimit      questions / pairs / captions per benchmark
 * @param methods        per-method learning rate and steps, by method name; a method not named gets the shared default
 */
public record DemoSettings(Path out, long seed, int images, int existenceSteps, int baseSteps, int contextSteps, int methodSteps,
                           int batchSize, double baseLearningRate, double methodLearningRate, int sevaSamples,
                           int evalLimit, Map<String, MethodSetting> methods) {
    /**
     * Per-method settings of the full demo, as chosen by {@code vco bench sweep --objective all --lr
     * 5e-5,1e-4,2e-4,5e-4,1e-3 --steps 150} and, for the seven preference methods, {@code --lr 1e-5,2e-5} (the same
     * base: seed 0, one thread), at full scale on the validation scenes (docs/results.md has the table and the
     * criterion). Only SFT and mDPO keep the base's fluency at some rate; the others train at their most fluent rate.
     */
    static final Map<String, MethodSetting> SWEPT = Map.of(
            "SFT", new MethodSetting(1e-3, 150),
            "DPO", new MethodSetting(1e-5, 150),
            "mDPO", new MethodSetting(1e-3, 150),
            "VCO", new MethodSetting(1e-5, 150),
            "S-VCO", new MethodSetting(1e-5, 150),
            "IC-VCO", new MethodSetting(1e-4, 150),
            "JoMPO", new MethodSetting(1e-5, 150),
            "SeVa", new MethodSetting(1e-5, 150));

    public DemoSettings {
        methods = Map.copyOf(methods);
    }

    /** Every method with the shared default. */
    public DemoSettings(Path out, long seed, int images, int existenceSteps, int baseSteps, int contextSteps, int methodSteps, int batchSize,
                        double baseLearningRate, double methodLearningRate, int sevaSamples, int evalLimit) {
        this(out, seed, images, existenceSteps, baseSteps, contextSteps, methodSteps, batchSize, baseLearningRate, methodLearningRate,
                sevaSamples, evalLimit, Map.of());
    }

    /** The learning rate and steps of the method called {@code name}: its own if named, else the shared default. */
    public MethodSetting method(String name) {
        MethodSetting own = methods.get(name);
        return own != null ? own : new MethodSetting(methodLearningRate, methodSteps);
    }

    /** The base's SFT stages in their order, as the reports write them: "600 + 200 + 2400 SFT steps". */
    public String baseStepsLabel() {
        return existenceSteps + " + " + contextSteps + " + " + baseSteps + " SFT steps";
    }

    /** The same settings with these per-method ones (replacing any given before). */
    public DemoSettings withMethods(Map<String, MethodSetting> perMethod) {
        return new DemoSettings(out, seed, images, existenceSteps, baseSteps, contextSteps, methodSteps, batchSize, baseLearningRate,
                methodLearningRate, sevaSamples, evalLimit, perMethod);
    }

    /** The same settings writing into another folder. */
    public DemoSettings withOut(Path folder) {
        return new DemoSettings(folder, seed, images, existenceSteps, baseSteps, contextSteps, methodSteps, batchSize, baseLearningRate,
                methodLearningRate, sevaSamples, evalLimit, methods);
    }

    public static DemoSettings full(Path out, long seed) {
        return new DemoSettings(out, seed, 1000, 600, 2400, 200, 150, 16, 5e-4, 5e-4, 160, 60, SWEPT);
    }

    public static DemoSettings quick(Path out, long seed) {
        return new DemoSettings(out, seed, 200, 100, 300, 30, 12, 16, 1e-3, 5e-4, 40, 12);
    }
}
