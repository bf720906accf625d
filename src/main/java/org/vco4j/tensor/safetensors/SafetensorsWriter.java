package org.vco4j.tensor.safetensors;

import org.vco4j.common.AtomicFiles;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch.Layout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.TreeMap;

/**
 * Writes safetensors files, byte for byte as the reference implementation (the Rust crate behind
 * Python's {@code safetensors}) does for the same tensors: compact JSON header with {@code __metadata__}
 * first, escaped as serde_json escapes, padded with spaces to a multiple of 8 bytes. Tensors are ordered
 * as the reference orders them: by dtype, widest alignment first (the reverse of
 * {@link SafetensorsDType}'s declaration order), then by name compared by code point. A plain name
 * sort would differ from Python's output whenever dtypes are mixed, and this order also aligns every
 * tensor to its element size within the file.
 *
 * <p>Differences that cannot matter to readers: metadata keys are sorted (the reference emits them in
 * hash order), and an empty metadata map is treated as none.
 *
 * <p>Writing is atomic (see {@code write}). Tensors may live on any device and need not be contiguous;
 * each is copied to a contiguous CPU tensor only while it is being written, so peak extra memory is
 * one tensor, not the whole map.
 */
public final class SafetensorsWriter {
    static final int DEFAULT_WRITE_CHUNK_BYTES = 1 << 26;
    // serde_json writes the hex of control-character escapes in lower case; Jackson defaults to upper.
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();
    private static final Comparator<String> BY_CODE_POINT = SafetensorsWriter::compareCodePoints;

    private SafetensorsWriter() {}

    /** As {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and {@code metadata} (may be null) to {@code file}, replacing it
     * atomically: the bytes go to a temporary file in the same folder, which is forced to disk and then
     * renamed over {@code file}, so a failure never leaves a partial file behind.
     *
     * @throws IllegalArgumentException when a tensor is undefined, sparse or otherwise not a plain
     *     strided tensor, has a dtype safetensors cannot store here, or is named {@code __metadata__};
     *     checked for every tensor before anything is written
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        write(file, tensors, metadata, DEFAULT_WRITE_CHUNK_BYTES);
    }

    /** As {@link #write(Path, Map, Map)}, moving data in pieces of at most {@code chunkBytes}. */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, int chunkBytes)
            throws IOException {
        write(file, plan(tensors), metadata, chunkBytes);
    }

    /** Writes planned tensors (in the order given, which {@link #plan} makes the reference order). */
    static void write(Path file, List<Planned> plan, Map<String, String> metadata, int chunkBytes) throws IOException {
        SafetensorsDType.requireLittleEndianHost();
        byte[] header = header(plan, metadata == null ? Map.of() : metadata);
        AtomicFiles.write(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            for (Planned p : plan) writeData(channel, p, chunkBytes);
        });
    }

    /** One tensor as it will be laid out in the file; its values are made when it is written. */
    record Planned(String name, SafetensorsDType dtype, long[] shape, long byteSize, Supplier<Tensor> values) {}

    /** Validates every tensor and orders them as the reference writer does. */
    static List<Planned> plan(Map<String, Tensor> tensors) {
        List<Planned> plan = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            plan.add(planOne(e.getKey(), e.getValue()));
        }
        return inReferenceOrder(plan);
    }

    /** Validates every declared dtype and shape and orders the tensors as the reference writer does. */
    static List<Planned> planDeferred(Map<String, DeferredTensor> tensors) {
        List<Planned> plan = new ArrayList<>(tensors.size());
        for (Map.Entry<String, DeferredTensor> e : tensors.entrySet()) {
            String quoted = checkName(e.getKey());
            DeferredTensor t = e.getValue();
            SafetensorsDType dtype = dtypeOf(quoted, t.dtype());
            plan.add(new Planned(e.getKey(), dtype, t.shape().clone(), byteSize(quoted, dtype, t.shape()), t.values()));
        }
        return inReferenceOrder(plan);
    }

    static List<Planned> inReferenceOrder(List<Planned> plan) {
        plan.sort(Comparator.comparing((Planned p) -> p.dtype().ordinal(), Comparator.reverseOrder())
                .thenComparing(Planned::name, BY_CODE_POINT));
        return plan;
    }

    private static String checkName(String name) {
        if (name == null) throw new IllegalArgumentException("tensor names must not be null");
        String quoted = SafetensorsFormatException.quote(name);
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("tensor " + quoted + ": the name is reserved for the metadata map");
        }
        return quoted;
    }

    private static SafetensorsDType dtypeOf(String quoted, ScalarType type) {
        return SafetensorsDType.fromScalarType(type).orElseThrow(() ->
                new IllegalArgumentException("tensor " + quoted + " has dtype " + type.intern()
                        + ", which has no safetensors counterpart here (supported: "
                        + SafetensorsDType.supportedCodes() + ")"));
    }

    private static long byteSize(String quoted, SafetensorsDType dtype, long[] shape) {
        long bytes = dtype.byteSize();
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor " + quoted + " has a negative dimension: " + java.util.Arrays.toString(shape));
            bytes = Math.multiplyExact(bytes, d);
        }
        return bytes;
    }

    private static Planned planOne(String name, Tensor tensor) {
        String quoted = checkName(name);
        if (tensor == null || tensor.isNull() || !tensor.defined()) {
            throw new IllegalArgumentException("tensor " + quoted + " is null or undefined");
        }
        // JavaCPP hands back enum values as fresh objects: compare interned constants.
        if (tensor.layout().intern() != Layout.Strided || tensor.is_sparse() || tensor.is_mkldnn() || tensor.is_nested()
                || tensor.is_quantized() || tensor.is_meta()) {
            throw new IllegalArgumentException("tensor " + quoted + " has layout " + tensor.layout().intern()
                    + (tensor.is_quantized() ? " (quantized)" : "") + (tensor.is_meta() ? " (meta, no data)" : "")
                    + "; only dense strided tensors with data can be written (convert with to_dense() first)");
        }
        SafetensorsDType dtype = dtypeOf(quoted, tensor.scalar_type());
        long[] shape = tensor.sizes().vec().get();
        return new Planned(name, dtype, shape, byteSize(quoted, dtype, shape), () -> tensor);
    }

    /** The padded JSON header for {@code plan}, exactly as the reference writer serializes it. */
    static byte[] header(List<Planned> plan, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (!metadata.isEmpty()) {
                json.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                Map<String, String> sorted = new TreeMap<>(BY_CODE_POINT);
                for (Map.Entry<String, String> e : metadata.entrySet()) {
                    if (e.getKey() == null || e.getValue() == null) {
                        throw new IllegalArgumentException("metadata keys and values must not be null: " + e);
                    }
                    sorted.put(e.getKey(), e.getValue());
                }
                for (Map.Entry<String, String> e : sorted.entrySet()) json.writeStringField(e.getKey(), e.getValue());
                json.writeEndObject();
            }
            long offset = 0;
            for (Planned p : plan) {
                json.writeObjectFieldStart(p.name());
                json.writeStringField("dtype", p.dtype().code());
                json.writeFieldName("shape");
                json.writeArray(p.shape(), 0, p.shape().length);
                json.writeFieldName("data_offsets");
                json.writeArray(new long[] {offset, offset + p.byteSize()}, 0, 2);
                json.writeEndObject();
                offset += p.byteSize();
            }
            json.writeEndObject();
        } catch (IOException e) {
            // Output goes to memory, so this can only be text UTF-8 cannot encode, such as a lone surrogate.
            throw new IllegalArgumentException("cannot encode the header: " + e.getMessage(), e);
        }
        int padding = (8 - out.size() % 8) % 8;
        for (int i = 0; i < padding; i++) out.write(' ');
        if (out.size() > StrictJson.MAX_DOCUMENT_BYTES) {
            throw new IllegalArgumentException("the header would be " + out.size() + " bytes, above the format's limit of "
                    + StrictJson.MAX_DOCUMENT_BYTES + " that readers enforce");
        }
        return out.toByteArray();
    }

    private static void writeData(FileChannel channel, Planned p, int chunkBytes) throws IOException {
        if (p.byteSize() == 0) return;
        // A scope of its own so the CPU/contiguous copy is freed as soon as this tensor is written.
        try (PointerScope scope = new PointerScope()) {
            Tensor plain = p.values().get().detach().cpu().resolve_conj().resolve_neg().contiguous();
            if (plain.scalar_type().intern() != p.dtype().scalarType() || !java.util.Arrays.equals(plain.sizes().vec().get(), p.shape())) {
                throw new IllegalStateException("tensor " + SafetensorsFormatException.quote(p.name()) + " was declared "
                        + p.dtype().code() + " " + java.util.Arrays.toString(p.shape()) + " but its values are "
                        + plain.scalar_type().intern() + " " + java.util.Arrays.toString(plain.sizes().vec().get()));
            }
            if (plain.nbytes() != p.byteSize()) {
                throw new IllegalStateException("tensor " + SafetensorsFormatException.quote(p.name()) + " holds "
                        + plain.nbytes() + " bytes, expected " + p.byteSize() + "; was it resized while being written?");
            }
            BytePointer data = new BytePointer(plain.data_ptr());
            data.capacity(p.byteSize());
            for (long done = 0; done < p.byteSize(); ) {
                int chunk = (int) Math.min(chunkBytes, p.byteSize() - done);
                writeFully(channel, data.position(done).limit(done + chunk).asByteBuffer());
                done += chunk;
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /** Orders strings as the reference implementation does (Rust compares UTF-8 bytes, i.e. code points). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
