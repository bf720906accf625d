package org.vco4j.tensor;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A region of mixed precision: libtorch's autocast, as {@code torch.autocast(device_type, dtype)} in PyTorch.
 * Matrix products (linear, matmul, bmm, attention) run in {@code dtype} while the parameters stay in their own
 * (float32 master) precision and autocast's float32 operations stay in float32; gradients reach the float32
 * parameters through the casts. Autocast is per thread: open the region on the thread that runs the forward
 * pass, and run backward after closing it, as PyTorch advises.
 *
 * <p>{@code Autocast.region(device, null)} is an empty region, so callers need not branch on the setting.
 */
public final class Autocast implements AutoCloseable {
    private final torch.DeviceType type;
    private final boolean wasEnabled;
    private final ScalarType previousDtype;

    private final boolean enable;

    private Autocast(torch.DeviceType type, ScalarType dtype, boolean enable) {
        this.type = type;
        this.enable = enable;
        if (type == null) {
            wasEnabled = false;
            previousDtype = null;
            return;
        }
        wasEnabled = torch.is_autocast_enabled(type);
        previousDtype = torch.get_autocast_dtype(type);
        if (enable) {
            torch.set_autocast_dtype(type, dtype);
            torch.increment_nesting();
        }
        torch.set_autocast_enabled(type, enable);
    }

    /** Opens a region computing in {@code dtype} on {@code device}'s type; {@code dtype == null} opens none. */
    public static Autocast region(Device device, ScalarType dtype) {
        return new Autocast(dtype == null ? null : device.type(), dtype, true);
    }

    /**
     * A region where autocast is off on {@code device}'s type, as {@code torch.autocast(..., enabled=False)}: for
     * work that must run in the precision its inputs have (float32 attention on the CPU, see {@code Attention}).
     */
    public static Autocast suspended(Device device) {
        return new Autocast(device.type(), null, false);
    }

    /** Whether autocast is on for {@code device}'s type on this thread. */
    public static boolean isEnabled(Device device) {
        return torch.is_autocast_enabled(device.type());
    }

    /** Restores the state before the region; the outermost region also frees autocast's cast weights. */
    @Override
    public void close() {
        if (type == null) return;
        if (enable && torch.decrement_nesting() == 0) torch.clear_cache();
        torch.set_autocast_enabled(type, wasEnabled);
        torch.set_autocast_dtype(type, previousDtype);
    }
}
