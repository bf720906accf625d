package org.vco4j.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a checkpoint needs besides weights and optimizer moments to continue exactly: the optimizer step,
 * the position in the data, and the LoRA dropout generator. Everything else random in a run is a pure
 * function of (seed, position), so it needs no saved state.
 */
public final class TrainerState {
    @JsonProperty("global_step") public long globalStep;
    @JsonProperty("epoch") public int epoch;
    @JsonProperty("batch_index") public int batchIndex;
    @JsonProperty("dropout_state") public String dropoutState;
    @JsonProperty("objective") public String objective;
    @JsonProperty("total_steps") public long totalSteps;
}
