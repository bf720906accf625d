package org.vco4j.train;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.vco4j.model.ModelFamily;
import org.vco4j.model.PretrainedVlm;
import org.vco4j.model.lora.LoraAdapters;
import org.vco4j.model.lora.LoraConfig;
import org.vco4j.model.lora.TargetModules;
import org.vco4j.request.ScoreRequest;
import org.vco4j.score.ScoredBatch;
import org.vco4j.score.Scorer;
import org.vco4j.tensor.safetensors.SafetensorsFile;
import org.vco4j.tensor.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model being trained and which of its weights move: LoRA adapters on the language model (the base
 * frozen) or full fine-tuning with the vision tower and/or projector frozen. With LoRA it also serves as its
 * own reference, by switching the adapters off.
 *
 * <p>Owns the loaded checkpoint (native memory); close it when done.
 */
public final class PolicyModel implements AutoCloseable {
    private final PretrainedVlm vlm;
    private final LoraAdapters adapters; // null for full fine-tuning
    private final Map<String, Tensor> trainable;
    private final Scorer scorer;
    private final boolean adaptersOutsideVision; // LoRA, and nothing in the tower or projector moves

    private PolicyModel(PretrainedVlm vlm, LoraAdapters adapters, Map<String, Tensor> trainable, TrainConfig config) {
        this.vlm = vlm;
        this.adapters = adapters;
        this.trainable = trainable;
        this.scorer = new Scorer(vlm.model(), vlm.processor(), config.autocastDtype(), config.padToMultipleOf);
        ModelFamily family = vlm.family();
        Map<String, Tensor> all = new LinkedHashMap<>(vlm.model().module().namedParameters());
        all.putAll(trainable);
        this.adaptersOutsideVision = adapters != null && all.entrySet().stream()
                .filter(e -> family.isVisionTower(e.getKey()) || family.isProjector(e.getKey()))
                .noneMatch(e -> e.getValue().requires_grad());
    }

    /** Sets up what the config trains; the model's family says where LoRA goes and which weights are tower and projector. */
    public static PolicyModel create(PretrainedVlm vlm, TrainConfig config) {
        ModelFamily family = vlm.family();
        if (config.finetuning.equals("lora")) {
            List<String> names = config.loraTargetModules == null ? family.defaultLoraTargets() : config.loraTargetModules;
            TargetModules targets = new TargetModules.Names(names, family.loraScope());
            LoraAdapters adapters = LoraAdapters.attach(vlm.model().module(),
                    new LoraConfig(config.loraR, config.loraAlpha, config.loraDropout, targets), config.seed);
            return new PolicyModel(vlm, adapters, new LinkedHashMap<>(adapters.trainableParameters()), config);
        }
        Map<String, Tensor> trainable = new LinkedHashMap<>();
        vlm.model().module().namedParameters().forEach((name, tensor) -> {
            boolean frozen = (config.freezeVisionTower && family.isVisionTower(name))
                    || (config.freezeProjector && family.isProjector(name));
            tensor.requires_grad_(!frozen);
            if (!frozen) trainable.put(name, tensor);
        });
        return new PolicyModel(vlm, null, trainable, config);
    }

    public PretrainedVlm vlm() { return vlm; }
    public Scorer scorer() { return scorer; }
    public Map<String, Tensor> trainableParameters() { return trainable; }
    public boolean usesLora() { return adapters != null; }
    public LoraAdapters adapters() { return adapters; }

    /** Turns LoRA dropout on for training steps and off for evaluation. */
    public void training(boolean on) {
        if (adapters != null) adapters.training(on);
    }

    /** The base model with adapters switched off, as a reference that costs no memory. */
    public ReferenceModel adaptersOffReference(String fingerprint) {
        if (adapters == null) throw new IllegalStateException("full fine-tuning has no adapters to switch off");
        return new ReferenceModel() {
            @Override
            public ScoredBatch score(List<ScoreRequest> requests, boolean sharePrefixes) {
                boolean wasTraining = adapters.isTraining();
                adapters.setEnabled(false);
                adapters.training(false);
                try {
                    // The adapters sit in the language model only: the policy's pass that follows (a live
                    // reference's step) gets the same image features, so it takes these instead of encoding again.
                    if (adaptersOutsideVision) scorer.keepImageFeaturesForNextCall();
                    return scorer.scoreWithoutGrad(requests, sharePrefixes);
                } finally {
                    adapters.setEnabled(true);
                    adapters.training(wasTraining);
                }
            }

            @Override
            public String fingerprint() {
                return fingerprint;
            }
        };
    }

    /** Writes the trainable weights (the adapter in PEFT layout, or the full weights by module name). */
    public void saveTrainable(Path dir) throws IOException {
        if (adapters != null) {
            adapters.save(dir.resolve("adapter"), vlm.folder().toAbsolutePath().toString());
        } else {
            try (PointerScope scope = new PointerScope()) {
                Map<String, Tensor> copies = new LinkedHashMap<>();
                trainable.forEach((name, tensor) -> copies.put(name, tensor.detach()));
                SafetensorsWriter.write(dir.resolve("trainable.safetensors"), copies);
            }
        }
    }

    /** Restores trainable weights written by {@link #saveTrainable}. */
    public void loadTrainable(Path dir) throws IOException {
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            if (adapters != null) {
                try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("adapter").resolve(LoraAdapters.WEIGHTS_FILE))) {
                    for (String key : file.names()) {
                        String name = key.startsWith("base_model.model.") ? key.substring("base_model.model.".length()) : key;
                        Tensor target = trainable.get(name);
                        if (target == null) throw new IllegalArgumentException(dir + ": adapter tensor " + key + " is not in this run's adapters");
                        target.copy_(file.load(key));
                    }
                }
            } else {
                try (SafetensorsFile file = SafetensorsFile.open(dir.resolve("trainable.safetensors"))) {
                    for (Map.Entry<String, Tensor> e : trainable.entrySet()) e.getValue().copy_(file.load(e.getKey()));
                }
            }
        }
    }

    @Override
    public void close() {
        if (adapters != null) adapters.close();
        vlm.close();
    }
}
