package org.vco4j.tensor.safetensors;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.function.Supplier;

/**
 * A tensor to write whose values are made only when its turn comes, so a checkpoint larger than memory can be
 * written one tensor at a time. {@code values} must return a tensor of exactly this dtype and shape.
 */
public record DeferredTensor(ScalarType dtype, long[] shape, Supplier<Tensor> values) {}
