package org.vco4j.train.distributed;

import org.bytedeco.pytorch.Device;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The c10d backend that carries the collectives: {@code gloo} (CPU tensors; CUDA tensors too in the gpu
 * build), {@code nccl} (CUDA tensors, gpu build only) or {@code auto} (nccl for a CUDA device, gloo
 * otherwise).
 *
 * <p>{@code auto} never falls back silently: on a CUDA device without NCCL it fails and says to choose
 * gloo explicitly.
 */
public enum CollectiveBackend {
    AUTO, GLOO, NCCL;

    /** Parses {@code auto}, {@code gloo} or {@code nccl} (any case). */
    public static CollectiveBackend parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (CollectiveBackend b : values()) if (b.cliName().equals(n)) return b;
        throw new IllegalArgumentException("distributed backend '" + name + "': expected auto, gloo or nccl");
    }

    /** The lower-case name used on the command line and by c10d. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The concrete backend (GLOO or NCCL) for tensors on {@code device}; fails clearly when it cannot work. */
    public CollectiveBackend resolve(Device device) {
        return resolve(device.is_cuda(), NcclBackends::unavailableReason);
    }

    /** {@link #resolve(Device)} with the facts passed in: whether the device is CUDA, why NCCL is missing (null: present). */
    CollectiveBackend resolve(boolean cuda, Supplier<String> ncclUnavailable) {
        switch (this) {
            case GLOO:
                return GLOO;
            case NCCL: {
                if (!cuda) {
                    throw new IllegalArgumentException("distributed backend nccl reduces CUDA tensors only, but the device is the "
                            + "CPU: use gloo (or auto)");
                }
                String missing = ncclUnavailable.get();
                if (missing != null) throw new IllegalArgumentException(missing + "; or choose the gloo backend explicitly");
                return NCCL;
            }
            default: {
                if (!cuda) return GLOO;
                String missing = ncclUnavailable.get();
                if (missing != null) {
                    throw new IllegalArgumentException(missing + "; auto picks nccl for a CUDA device: choose the gloo backend "
                            + "explicitly to reduce CUDA tensors over Gloo instead");
                }
                return NCCL;
            }
        }
    }
}
