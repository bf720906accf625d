package org.vco4j.train;

import org.vco4j.common.AtomicFiles;
import org.vco4j.common.AtomicFolder;
import org.vco4j.common.Folders;
import org.vco4j.common.ProgressBar;
import org.vco4j.common.StopSignals;
import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.report.MetricsLog;
import org.vco4j.train.report.TrainingReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A whole run, start (or resume) to report: prepares the output folder, fills the reference cache, and trains
 * with the listeners that log metrics, show progress, save checkpoints and, at the end, write the final adapter
 * or model and then the report.
 */
public final class Training {
    /** The SHA-256 of the data file a run started with: a resumed run must read the same bytes. */
    public static final String DATA_DIGEST_FILE = "data.sha256";

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
        boolean created = distributed.isMain() && !Files.exists(out);
        try {
            prepareOutput(out, resume, distributed.isMain());
            if (resume) checkResumedSettings(config, out, distributed.isMain());
            return train(config, distributed, resume, signals);
        } catch (IOException | RuntimeException | Error e) {
            // A run that failed before its first checkpoint leaves nothing that blocks running it again: the folder
            // it created goes. A stopped run keeps its folder, for --resume (and its reference cache).
            if (created && !(e instanceof TrainingStoppedException) && Files.isDirectory(out) && !holdsResults(out)) {
                try {
                    Folders.deleteRecursively(out);
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private static Outcome train(TrainConfig config, DistributedContext distributed, boolean resume, StopSignals signals)
            throws IOException {
        Path out = config.outputDir;
        try (TrainingRun run = new TrainingRun(config, distributed)) {
            if (distributed.isMain()) {
                config.write(out.resolve(TrainingRun.CONFIG_FILE));
                if (!resume || !Files.isRegularFile(out.resolve(DATA_DIGEST_FILE))) {
                    AtomicFiles.write(out.resolve(DATA_DIGEST_FILE), (sha256(config.data) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                run.dataNotes().forEach(note -> System.err.println("note: " + note));
            }
            ReferenceCache cache = run.referenceLogps().cache();
            if (distributed.isMain() && cache != null && cache.tornBytes() > 0) {
                System.err.println("note: cut off a torn last line of the reference cache (" + cache.tornBytes()
                        + " bytes, left by an interrupted run); it is recomputed");
            }
            TrainerState state = run.freshState();
            Optional<TrainerCheckpoints.Restored> latest = resume ? run.checkpoints().restoreLatest() : Optional.empty();
            if (latest.isPresent()) {
                state = latest.get().state();
                state.totalSteps = run.totalSteps();
                if (distributed.isMain()) System.err.println("resuming from " + latest.get().checkpoint() + " at step " + state.globalStep);
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
                        ? List.of(new MetricsLogListener(metrics, config.loggingSteps, distributed.worldSize()),
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

    /**
     * Makes {@code out} ready: removes the staging folders of saves a kill interrupted, and refuses to start a
     * new run over one that has results (checkpoints, final weights) unless resuming. A run that stopped before
     * its first checkpoint has none: a plain rerun starts it over.
     */
    private static void prepareOutput(Path out, boolean resume, boolean main) throws IOException {
        if (!main) return;
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder");
        }
        List<String> cleaned = new java.util.ArrayList<>(AtomicFolder.cleanUp(out));
        cleaned.addAll(AtomicFolder.cleanUp(out.resolve(CHECKPOINTS)));
        if (!cleaned.isEmpty()) {
            System.err.println("note: removed " + cleaned.size() + " staging folder(s) of a save that was interrupted: "
                    + String.join(", ", cleaned));
        }
        if (Files.exists(out.resolve(TrainingRun.CONFIG_FILE)) && !resume) {
            if (holdsResults(out)) {
                throw new IllegalArgumentException("--out " + out + " already holds a run; pass --resume to continue it "
                        + "or choose another folder");
            }
            System.err.println("note: --out " + out + " holds a run that ended before its first checkpoint; starting it over");
        }
        Files.createDirectories(out);
    }

    static final String CHECKPOINTS = "checkpoints";

    /** True when {@code out} holds something of value: a checkpoint or final weights. */
    private static boolean holdsResults(Path out) throws IOException {
        if (Files.exists(out.resolve("adapter")) || Files.exists(out.resolve("model"))) return true;
        return hasCheckpoint(out);
    }

    private static boolean hasCheckpoint(Path out) throws IOException {
        Path checkpoints = out.resolve(CHECKPOINTS);
        if (!Files.isDirectory(checkpoints)) return false;
        try (Stream<Path> list = Files.list(checkpoints)) {
            return list.anyMatch(p -> p.getFileName().toString().matches("step-\\d+"));
        }
    }

    /**
     * On {@code --resume} of a run with checkpoints: a setting that changes what the run computes must be the one
     * it was started with (its {@code train_config.yaml}); a harmless one that changed is said on stderr.
     */
    private static void checkResumedSettings(TrainConfig config, Path out, boolean main) throws IOException {
        Path file = out.resolve(TrainingRun.CONFIG_FILE);
        if (!Files.isRegularFile(file) || !hasCheckpoint(out)) return;
        List<TrainConfig.Change> changes = config.changesFrom(TrainConfig.read(file));
        List<TrainConfig.Change> refused = changes.stream().filter(c -> !c.harmless()).toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + String.join("; ", refused.stream()
                    .map(c -> "setting " + c.key() + " is " + c.now() + " but the run was started with " + c.started())
                    .toList()) + " (" + file + "); resume with the run's settings or start a new run in another folder");
        }
        Path digestFile = out.resolve(DATA_DIGEST_FILE);
        if (Files.isRegularFile(digestFile)) {
            String started = Files.readString(digestFile).strip();
            String now = sha256(config.data);
            if (!started.equals(now)) {
                throw new IllegalArgumentException("--resume: the data file " + config.data + " changed since the run started"
                        + " (sha256 " + started.substring(0, Math.min(12, started.length())) + "… in " + digestFile + ", now "
                        + now.substring(0, 12) + "…); resume with the run's data or start a new run in another folder");
            }
        }
        if (main) {
            for (TrainConfig.Change change : changes) {
                System.err.println("note: --resume with " + change.key() + " " + change.now() + " instead of "
                        + change.started() + " (" + file + ")");
            }
        }
    }

    /** The SHA-256 of a file's bytes, in hex. */
    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
