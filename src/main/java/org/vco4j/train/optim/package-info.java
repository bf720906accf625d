/**
 * Optimization utilities of the trainer, numerically the same as their PyTorch and Hugging Face
 * counterparts: {@link org.vco4j.train.optim.AdamW} ({@code torch.optim.AdamW}),
 * {@link org.vco4j.train.optim.LearningRateSchedule} (the Trainer's warmup schedules) and
 * {@link org.vco4j.train.optim.GradientClipping} ({@code torch.nn.utils.clip_grad_norm_}).
 */
package org.vco4j.train.optim;
