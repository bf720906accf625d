package org.vco4j.train;

import org.vco4j.common.AtomicFolder;
import org.vco4j.common.Folders;
import org.vco4j.common.Json;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.train.distributed.DistributedContext;
import org.vco4j.train.optim.AdamW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of a run under {@code <output_dir>/checkpoints/step-NNNNNN}: trainable weights (PEFT adapter or
 * full weights), optimizer moments and {@code trainer_state.json}. Each is written into a temporary folder
 * and renamed into place, so a crash mid-save leaves the previous checkpoint intact and never a torn one.
 * As a {@link TrainingListener} it saves one whenever the trainer says it is time ({@code save_steps}) and
 * keeps the newest {@code save_total_limit}.
 */
public final class TrainerCheckpoints implements TrainingListener {
    static final String STATE_FILE = "trainer_state.json";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private final Path root;
    private final PolicyModel policy;
    private final AdamW optimizer;
    private final ReferenceLogps referenceLogps;
    private final DistributedContext distributed;
    private final String objective;
    private final int saveTotalLimit;

    /**
     * @param referenceLogps whose cache is flushed with every checkpoint
     * @param objective the run's objective name; a checkpoint of another objective is refused
     */
    public TrainerCheckpoints(Path root, PolicyModel policy, AdamW optimizer, ReferenceLogps referenceLogps,
                              DistributedContext distributed, String objective, int saveTotalLimit) {
        this.root = root;
        this.policy = policy;
        this.optimizer = optimizer;
        this.referenceLogps = referenceLogps;
        this.distributed = distributed;
        this.objective = objective;
        this.saveTotalLimit = saveTotalLimit;
    }

    @Override
    public void onSave(TrainerState state) throws IOException {
        save(state);
    }

    /** Rank 0 writes; every rank waits for it, so no rank runs ahead of a checkpoint it might resume from. */
    public void save(TrainerState state) throws IOException {
        if (distributed.isMain()) {
            Files.createDirectories(root);
            Path target = root.resolve(String.format("step-%06d", state.globalStep));
            AtomicFolder.write(target, true, staging -> {
                policy.saveTrainable(staging);
                optimizer.save(staging.resolve(OPTIMIZER_FILE));
                LoraAdapters adapters = policy.adapters();
                state.dropoutState = adapters == null ? null : Base64.getEncoder().encodeToString(adapters.dropoutState());
                Json.PRETTY.writeValue(staging.resolve(STATE_FILE).toFile(), state);
                if (referenceLogps.cache() != null) referenceLogps.cache().flush();
            });
            prune();
        }
        distributed.barrier();
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latest() throws IOException {
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    public String describeLatest() {
        try {
            return latest().map(Path::toString).orElse("none (no checkpoint was saved yet)");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /**
     * Restores the newest checkpoint that can be read. One that cannot (a file torn or damaged after the save)
     * is said on stderr, moved aside as {@code corrupt-step-NNNNNN} so that it is neither resumed nor named as
     * the last good checkpoint again, and the one before it is tried.
     *
     * @return the checkpoint restored and its state, or empty when there is none
     * @throws IllegalArgumentException when no checkpoint can be read (naming the newest one's problem), or a
     *                                  checkpoint belongs to another objective
     */
    public Optional<Restored> restoreLatest() throws IOException {
        List<Path> all = all();
        IOException firstIo = null;
        RuntimeException first = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            Path checkpoint = all.get(i);
            try {
                TrainerState state = restore(checkpoint);
                if (i < all.size() - 1) {
                    distributed.barrier(); // every rank has tried the newer ones before rank 0 moves them aside
                    if (distributed.isMain()) for (Path newer : all.subList(i + 1, all.size())) moveAside(newer);
                }
                return Optional.of(new Restored(checkpoint, state));
            } catch (WrongObjectiveException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                if (first == null && firstIo == null) {
                    if (e instanceof IOException io) firstIo = io;
                    else first = (RuntimeException) e;
                }
                if (distributed.isMain() && i > 0) {
                    System.err.println("warning: checkpoint " + checkpoint + " cannot be read (" + e.getMessage() + "); "
                            + "trying " + all.get(i - 1).getFileName() + "; the unreadable one is kept as corrupt-"
                            + checkpoint.getFileName());
                }
            }
        }
        if (first == null && firstIo == null) return Optional.empty();
        // None is moved aside: a second --resume must not silently start over.
        String reason = firstIo != null ? firstIo.getMessage() : first.getMessage();
        throw new IllegalArgumentException("no checkpoint in " + root + " can be resumed; the newest: " + reason);
    }

    /** A checkpoint restored by {@link #restoreLatest}. */
    public record Restored(Path checkpoint, TrainerState state) {}

    private void moveAside(Path checkpoint) throws IOException {
        if (!Files.exists(checkpoint)) return;
        Path aside = checkpoint.resolveSibling("corrupt-" + checkpoint.getFileName());
        if (Files.exists(aside)) Folders.deleteRecursively(aside);
        Files.move(checkpoint, aside);
    }

    /** Restores weights, optimizer and dropout generator from {@code checkpoint} and returns its state. */
    public TrainerState restore(Path checkpoint) throws IOException {
        TrainerState state = readState(checkpoint.resolve(STATE_FILE));
        if (!objective.equals(state.objective)) {
            throw new WrongObjectiveException(checkpoint + " was trained with objective " + state.objective
                    + ", not " + objective);
        }
        policy.loadTrainable(checkpoint);
        optimizer.load(checkpoint.resolve(OPTIMIZER_FILE));
        if (state.dropoutState != null && policy.adapters() != null) {
            policy.adapters().restoreDropoutState(Base64.getDecoder().decode(state.dropoutState));
        }
        return state;
    }

    /** {@code trainer_state.json}, checked; an unreadable one is an error naming the file. */
    static TrainerState readState(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": missing");
        TrainerState state;
        try {
            state = Json.MAPPER.readValue(file.toFile(), TrainerState.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ":" + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": not a complete trainer state (" + e.getOriginalMessage() + ")");
        }
        if (state == null || state.globalStep < 1 || state.epoch < 0 || state.batchIndex < 0 || state.objective == null) {
            throw new IllegalArgumentException(file + ": not a complete trainer state (global_step, epoch, batch_index, objective)");
        }
        return state;
    }

    /** A checkpoint of another objective: a mistake of the command, not damage, so no fallback. */
    static final class WrongObjectiveException extends IllegalArgumentException {
        WrongObjectiveException(String message) {
            super(message);
        }
    }

    private List<Path> all() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(p -> p.getFileName().toString().matches("step-\\d+") && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private void prune() throws IOException {
        int keep = Math.max(1, saveTotalLimit);
        List<Path> all;
        try (Stream<Path> list = Files.list(root)) {
            all = list.filter(p -> p.getFileName().toString().matches("step-\\d+"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        for (int i = 0; i < all.size() - keep; i++) Folders.deleteRecursively(all.get(i));
    }
}
