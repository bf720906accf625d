package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.vco4j.tensor.Tensors;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsDTypeTest {
    @Test
    void widthsAndCodesMatchLibtorchAndTheFormat() {
        try (PointerScope scope = new PointerScope()) {
            for (SafetensorsDType d : SafetensorsDType.values()) {
                assertEquals(torch.empty(new long[] {1}, new TensorOptions(d.scalarType()), null).element_size(),
                        d.byteSize(), d.code());
                assertEquals(Optional.of(d), SafetensorsDType.fromCode(d.code()));
                assertEquals(Optional.of(d), SafetensorsDType.fromScalarType(d.scalarType()));
            }
        }
        assertEquals("F32 BF16 I8 U8 BOOL", String.join(" ", SafetensorsDType.F32.code(), SafetensorsDType.BF16.code(),
                SafetensorsDType.I8.code(), SafetensorsDType.U8.code(), SafetensorsDType.BOOL.code()));
    }

    @Test
    void mapsTypesReturnedByNativeCalls() {
        try (PointerScope scope = new PointerScope()) {
            // JavaCPP returns a distinct enum object from native code; lookup must not depend on identity.
            assertEquals(Optional.of(SafetensorsDType.BF16),
                    SafetensorsDType.fromScalarType(Tensors.floats(1f).to(ScalarType.BFloat16).scalar_type()));
        }
    }

    @Test
    void unsupportedTypesAndCodesAreAbsent() {
        assertEquals(Optional.empty(), SafetensorsDType.fromScalarType(ScalarType.ComplexFloat));
        assertEquals(Optional.empty(), SafetensorsDType.fromScalarType(ScalarType.QInt8));
        assertEquals(Optional.empty(), SafetensorsDType.fromCode("F8_E4M3"));
        assertEquals(Optional.empty(), SafetensorsDType.fromCode("f32"));
    }
}
