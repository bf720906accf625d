package org.vco4j.train;

import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.report.MetricsLog;
import org.vco4j.common.ProgressBar;
import org.vco4j.train.report.TrainingReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole run, start (or resume) to report: prepares the output folder, fills the reference cache, and trains
 * with the listeners that log metrics, show progress, save checkpoints and, at the end, write the final adapter
 * or model and then the report.
 */
public final class Training {
    private Training() {}

    /** The files a finished run leaves in its output folder. */
    public record Outcome(Path outputDir, Path weights, Path metrics, Path report, TrainerState state) {}

    public static Outcome run(TrainConfig config, DistributedContext distributed, boolean resume) throws IOException {
        config.validate();
        // SIGTERM/SIGINT only set a flag from here on: the JVM must not shut down while libtorch runs.
        try (StopSignals signals = StopSignals.install()) {
            return run(config, distributed, resume, signals);
        }
    }

    private static Outcome run(TrainConfig config, DistributedContext distributed, boolean resume, StopSignals signals)
            throws IOException {
        Path out = config.outputDir;
        prepareOutput(out, resume, distributed.isMain());
        try (TrainingRun run = new TrainingRun(config, distributed)) {
            if (distributed.isMain()) {
                config.write(out.resolve(TrainingRun.CONFIG_FILE));
                run.dataNotes().forEach(note -> System.err.println("note: " + note));
            }
            TrainerState state = run.freshState();
            Optional<Path> latest = resume ? run.checkpoints().latest() : Optional.empty();
            if (latest.isPresent()) {
                state = run.checkpoints().restore(latest.get());
                state.totalSteps = run.totalSteps();
                if (distributed.isMain()) System.err.println("resuming from " + latest.get() + " at step " + state.globalStep);
            }
            fillReferenceCache(run, signals);
            Path metricsFile = out.resolve(MetricsLog.FILE_NAME);
            ReportListener report = new ReportListener(metricsFile, "Training " + config.objective, run.settings());
            try (MetricsLog metrics = distributed.isMain()
                    ? (latest.isPresent() ? MetricsLog.resume(metricsFile, state.globalStep) : MetricsLog.create(metricsFile))
                    : null) {
                TrainingListener finalWeights = new TrainingListener() {
                    @Override
                    public void onTrainEnd(TrainerState end) throws IOException {
                        FinalWeights.write(run, out);
                    }
                };
                List<TrainingListener> listeners = distributed.isMain()
                        ? List.of(new MetricsLogListener(metrics, config.loggingSteps),
                                new ProgressListener("train " + config.objective), run.checkpoints(), finalWeights, report)
                        : List.of(run.checkpoints()); // rank 0 saves, every rank waits for it
                state = trainer(run, listeners).stopOn(signals).train(state);
            }
            Path weights = run.policy().usesLora() ? out.resolve("adapter") : out.resolve("model");
            distributed.barrier();
            Path reportFile = report.report() != null ? report.report() : out.resolve(TrainingReport.FILE_NAME);
            return new Outcome(out, weights, metricsFile, reportFile, state);
        }
    }

    /** The loop over the run's objective, data, policy, optimizer and schedule, calling {@code listeners}. */
    private static Trainer trainer(TrainingRun run, List<TrainingListener> listeners) {
        return new Trainer(Trainer.Settings.of(run.config()), run.objective(), run.step(), run.policy(), run.optimizer(),
                run.schedule(), run.batches(), run.validation(), run.distributed(), run.checkpoints()::describeLatest,
                listeners);
    }

    private static void prepareOutput(Path out, boolean resume, boolean main) throws IOException {
        if (!main) return;
        if (Files.exists(out.resolve(TrainingRun.CONFIG_FILE)) && !resume) {
            throw new IllegalArgumentException("--out " + out + " already holds a run; pass --resume to continue it "
                    + "or choose another folder");
        }
        Files.createDirectories(out);
    }

    /** The first pass of the cached-reference scheme: every reference log-prob the run will read, once. */
    private static void fillReferenceCache(TrainingRun run, StopSignals signals) throws IOException {
        if (run.referenceLogps().isLive() || !run.objective().usesReference()) return;
        var requests = run.referenceRequests();
        ProgressBar progress = run.distributed().isMain() ? new ProgressBar("reference log-probs", requests.size(), "requests") : null;
        long[] done = {0};
        if (progress != null) progress.start(0, 0);
        int computed = run.referenceLogps().fill(requests, n -> {
            done[0] += n;
            if (progress != null) progress.update(done[0]);
            // One process stops between reference batches (what is cached so far is kept); ranks wait for the
            // first step boundary, where they agree on stopping together.
            if (signals.stopRequested() && !run.distributed().isDistributed()) {
                throw new TrainingStoppedException(signals.received(), "stopped by SIG" + signals.received()
                        + " during the reference pass (" + done[0] + " of " + requests.size()
                        + " reference log-probs cached); continue with --resume");
            }
        });
        if (progress != null) progress.finish(requests.size(), computed, Double.NaN);
    }
}
