package org.vco4j.tensor;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/** Parses the {@code --device} option: {@code cpu}, {@code cuda} or {@code cuda:N}. */
public final class Devices {
    private Devices() {}

    /** The libtorch device named by {@code spec}; fails clearly when CUDA is asked for but absent. */
    public static Device parse(String spec) {
        String s = spec == null ? "cpu" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return new Device(torch.DeviceType.CPU);
        if (s.equals("cuda") || s.matches("cuda:\\d+")) {
            if (!torch.cuda_is_available()) {
                throw new IllegalArgumentException("--device " + spec + ": CUDA is not available in this build of "
                        + "libtorch or on this machine (build with 'mvn -Pgpu' on a machine with CUDA)");
            }
            int index = s.equals("cuda") ? 0 : Integer.parseInt(s.substring(5));
            int count = torch.cuda_device_count();
            if (index >= count) {
                throw new IllegalArgumentException("--device " + spec + ": only " + count + " CUDA device(s) present");
            }
            return new Device(torch.DeviceType.CUDA, (byte) index);
        }
        throw new IllegalArgumentException("--device " + spec + ": expected cpu, cuda or cuda:N");
    }

    /** True when {@code device} is the CPU. */
    public static boolean isCpu(Device device) {
        return device.is_cpu();
    }
}
