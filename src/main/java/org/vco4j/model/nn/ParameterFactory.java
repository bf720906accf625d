package org.vco4j.model.nn;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;

/**
 * Where and in which precision a model's parameters live. Modules allocate through it, so a model is
 * built directly on its device and in its dtype and weights are copied (and cast) into place on load.
 */
public record ParameterFactory(Device device, ScalarType dtype) {

    /** Float32 parameters on the CPU. */
    public static ParameterFactory cpuFloat32() {
        return new ParameterFactory(new Device(torch.DeviceType.CPU), ScalarType.Float);
    }

    /**
     * Parameters on libtorch's {@code meta} device: shapes and dtypes without storage, so a model's tree can be
     * built to read its parameter shapes whatever its size.
     */
    public static ParameterFactory meta(ScalarType dtype) {
        return new ParameterFactory(new Device(torch.DeviceType.Meta), dtype);
    }

    /** Whether parameters have no storage ({@link #meta}). */
    public boolean isMeta() {
        return device.type().value == torch.DeviceType.Meta.value;
    }

    /** Whether parameters live in host memory. */
    public boolean isCpu() {
        return device.type().value == torch.DeviceType.CPU.value;
    }

    /** A zero-filled parameter of the given shape. */
    public Tensor zeros(long... shape) {
        return torch.zeros(shape, new TensorOptions(dtype).device(new org.bytedeco.pytorch.DeviceOptional(device)));
    }

    /** A parameter filled with ones (norm weights start at one, as in Hugging Face). */
    public Tensor ones(long... shape) {
        return torch.ones(shape, new TensorOptions(dtype).device(new org.bytedeco.pytorch.DeviceOptional(device)));
    }

    /** Options for activations created next to the parameters (masks, positions). */
    public TensorOptions options(ScalarType type) {
        return new TensorOptions(type).device(new org.bytedeco.pytorch.DeviceOptional(device));
    }
}
