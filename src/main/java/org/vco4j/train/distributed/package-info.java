/**
 * Data-parallel training over libtorch's c10d: a rendezvous and collectives
 * ({@link org.vco4j.train.distributed.DistributedContext}), the rule that splits a global batch over the
 * ranks ({@link org.vco4j.train.distributed.BatchSharding}) and a launcher that starts N ranks on one machine
 * ({@link org.vco4j.train.distributed.LocalLauncher}).
 *
 * <h2>One training step on every rank</h2>
 * <ol>
 *   <li>once, before the first step: {@code context.broadcast(parameters, 0)}, so every rank starts from rank 0's weights;</li>
 *   <li>take this rank's shard of the global batch: {@code BatchSharding.shard(globalBatch, context)};</li>
 *   <li>score it and backpropagate the <em>mean</em> loss over the shard;</li>
 *   <li>{@code context.allReduceGradients(parameters)}: the gradients are now those of the mean loss over the
 *       whole global batch, identical on every rank;</li>
 *   <li>clip and step the optimizer as in one process: every rank takes the same step. Metrics that are
 *       means over the shard can be averaged with {@code allReduceMean}; only rank 0 ({@code isMain()})
 *       writes reports and checkpoints.</li>
 * </ol>
 * Processes learn their rank from torchrun's variables ({@code WORLD_SIZE}, {@code RANK}, {@code LOCAL_RANK},
 * {@code MASTER_ADDR}, {@code MASTER_PORT}); without them the run is a single process and every collective
 * does nothing.
 */
package org.vco4j.train.distributed;
