package org.vco4j.train;

import org.vco4j.common.ProgressBar;

/**
 * The training {@link ProgressBar} on standard error: steps done of the total, the latest loss and samples per
 * second since this session started.
 */
public final class ProgressListener implements TrainingListener {
    private final String label;
    private ProgressBar bar;
    private long samples;

    /** @param label the bar's label, e.g. {@code train s-vco} */
    public ProgressListener(String label) {
        this.label = label;
    }

    @Override
    public void onTrainBegin(TrainerState state) {
        bar = new ProgressBar(label, state.totalSteps, "samples");
        bar.start(state.globalStep, 0);
        if (state.globalStep >= state.totalSteps) bar.finish(state.globalStep, 0, Double.NaN);
    }

    @Override
    public void onStepEnd(StepEnd step) {
        samples += step.samples();
        bar.update(step.step(), samples, step.loss());
        if (step.isLast()) bar.finish(step.step(), samples, Double.NaN);
    }
}
