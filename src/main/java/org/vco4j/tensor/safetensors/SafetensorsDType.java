package org.vco4j.tensor.safetensors;

import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The element types of a safetensors file that this package reads and writes, with their header
 * code, width in bytes and libtorch counterpart.
 *
 * <p>Constants are declared in the reference implementation's alignment order (narrowest first);
 * {@link SafetensorsWriter} relies on it to lay tensors out the way the reference writer does.
 * Safetensors also defines unsigned 16/32/64-bit, complex and sub-byte float types; libtorch has no
 * exact counterpart for most of them, so files using them are rejected as unsupported.
 */
public enum SafetensorsDType {
    BOOL(1, ScalarType.Bool),
    U8(1, ScalarType.Byte),
    I8(1, ScalarType.Char),
    I16(2, ScalarType.Short),
    F16(2, ScalarType.Half),
    BF16(2, ScalarType.BFloat16),
    I32(4, ScalarType.Int),
    F32(4, ScalarType.Float),
    F64(8, ScalarType.Double),
    I64(8, ScalarType.Long);

    private final int byteSize;
    private final ScalarType scalarType;

    SafetensorsDType(int byteSize, ScalarType scalarType) {
        this.byteSize = byteSize;
        this.scalarType = scalarType;
    }

    /** The code used in the header's {@code "dtype"} field, e.g. {@code "BF16"}. */
    public String code() {
        return name();
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The libtorch scalar type with the same bit layout. */
    public ScalarType scalarType() {
        return scalarType;
    }

    /** The dtype whose header code is {@code code} (case-sensitive, as in the format). */
    public static Optional<SafetensorsDType> fromCode(String code) {
        for (SafetensorsDType d : values()) {
            if (d.name().equals(code)) return Optional.of(d);
        }
        return Optional.empty();
    }

    /** The dtype that stores libtorch {@code type} bit for bit, if there is one. */
    public static Optional<SafetensorsDType> fromScalarType(ScalarType type) {
        // By value: JavaCPP returns enum values from native calls as distinct objects.
        for (SafetensorsDType d : values()) {
            if (d.scalarType.value == type.value) return Optional.of(d);
        }
        return Optional.empty();
    }

    /** The supported codes, for error messages. */
    static String supportedCodes() {
        StringBuilder s = new StringBuilder();
        for (SafetensorsDType d : values()) s.append(s.length() == 0 ? "" : ", ").append(d.name());
        return s.toString();
    }

    /**
     * Safetensors stores elements little-endian and this package copies them as raw bytes, so a
     * big-endian host would silently read garbage; refuse instead.
     */
    static void requireLittleEndianHost() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("safetensors data is little-endian and this host is "
                    + ByteOrder.nativeOrder() + "; byte swapping is not implemented");
        }
    }
}
