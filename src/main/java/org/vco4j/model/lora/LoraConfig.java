package org.vco4j.model.lora;

import java.util.Objects;

/**
 * A LoRA adapter's hyperparameters, named after PEFT's {@code LoraConfig}: rank {@code r},
 * {@code lora_alpha}, {@code lora_dropout} and {@code target_modules}. Each adapted layer computes
 * {@code base(x) + (alpha / r) · B(A(dropout(x)))}.
 */
public record LoraConfig(int r, double alpha, double dropout, TargetModules targetModules) {

    public LoraConfig {
        if (r <= 0) throw new IllegalArgumentException("LoRA rank r must be positive: " + r);
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("lora_alpha must be positive and finite: " + alpha);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("lora_dropout must be in [0, 1): " + dropout);
        Objects.requireNonNull(targetModules, "targetModules");
    }

    /** Adapters on a LLaVA language model's attention and MLP projections ({@link TargetModules#defaults()}). */
    public static LoraConfig of(int r, double alpha, double dropout) {
        return new LoraConfig(r, alpha, dropout, TargetModules.defaults());
    }

    /** The factor on the low-rank update, {@code alpha / r}. */
    public double scaling() {
        return alpha / r;
    }
}
