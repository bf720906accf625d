package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds raw safetensors bytes and inspects tensors at the byte level, for tests. */
final class SafetensorsTestFiles {
    private SafetensorsTestFiles() {}

    /** A file whose header is {@code json} exactly as given (no padding) followed by {@code data}. */
    static byte[] raw(String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return raw(header.length, header, data);
    }

    /** A file declaring header length {@code declared}, whatever the actual header bytes. */
    static byte[] raw(long declared, byte[] header, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(declared).array());
        out.writeBytes(header);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static Path write(Path folder, String name, byte[] bytes) throws IOException {
        Path file = folder.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    /** The little-endian header length stored in the first 8 bytes of {@code file}. */
    static long headerLength(byte[] file) {
        return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The header text of {@code file}, padding included. */
    static String headerText(byte[] file) {
        return new String(file, 8, (int) headerLength(file), StandardCharsets.UTF_8);
    }

    /** The raw bytes of a tensor's elements in row-major order. */
    static byte[] bytesOf(Tensor tensor) {
        Tensor plain = tensor.cpu().contiguous();
        byte[] out = new byte[(int) plain.nbytes()];
        if (out.length > 0) new BytePointer(plain.data_ptr()).capacity(out.length).get(out);
        return out;
    }

    /** A float64 tensor holding exactly {@code values}. */
    static Tensor doubles(double[] values, long... shape) {
        try (DoublePointer data = new DoublePointer(values)) {
            return torch.from_blob(data, shape, new TensorOptions(ScalarType.Double)).clone();
        }
    }

    /** {@code n} little-endian float32 values. */
    static byte[] floatBytes(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }
}
