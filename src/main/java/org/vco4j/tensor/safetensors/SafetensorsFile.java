package org.vco4j.tensor.safetensors;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A safetensors file opened for reading.
 *
 * <p>{@link #open} reads and fully validates the header before any tensor data is touched. {@link #load} then memory-maps only the
 * requested tensor's bytes, one region of at most 1 GiB at a time so files and tensors larger than
 * 2 GiB work, copies them into a freshly allocated libtorch tensor and unmaps them again. Returned
 * tensors therefore own their memory and stay valid after this file is closed or deleted.
 *
 * <p>The open file handle is held until {@link #close}. Loads may run concurrently from several
 * threads; closing while a load runs is not supported. Assumes a little-endian host, like the format.
 */
public final class SafetensorsFile implements AutoCloseable {
    static final int DEFAULT_MAP_CHUNK_BYTES = 1 << 30;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final int mapChunkBytes;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, int mapChunkBytes) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.mapChunkBytes = mapChunkBytes;
    }

    /**
     * Opens and validates {@code file}. It is rejected with {@link SafetensorsFormatException}, as
     * strictly as the reference implementation or more, when: it is shorter than 8 bytes; the header
     * length exceeds 100,000,000 or the file; the header is not UTF-8, not JSON, not one object, or
     * repeats a name; {@code __metadata__} is not a string-to-string object; an entry is not an object
     * with exactly {@code dtype}, {@code shape} and {@code data_offsets}; the dtype is unknown or
     * unsupported; the shape is not a list of non-negative integers; the offsets are not two
     * non-negative integers with begin &lt;= end; the span differs from shape times dtype width; a
     * span runs past the file; or the spans overlap, leave gaps, or leave bytes over at the end (the
     * tensors must tile the data buffer exactly). Padding of the header is not required.
     */
    public static SafetensorsFile open(Path file) throws IOException {
        return open(file, DEFAULT_MAP_CHUNK_BYTES);
    }

    /** As {@link #open(Path)}, copying tensors through mapped regions of at most {@code mapChunkBytes}. */
    static SafetensorsFile open(Path file, int mapChunkBytes) throws IOException {
        if (mapChunkBytes <= 0) throw new IllegalArgumentException("mapChunkBytes must be positive: " + mapChunkBytes);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            SafetensorsHeader header = SafetensorsHeader.read(file, channel);
            return new SafetensorsFile(file, channel, header, mapChunkBytes);
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /** The file this reads. */
    public Path path() {
        return path;
    }

    /** Tensor names in the order their data appears in the file (for files this package writes, see {@link SafetensorsWriter}). */
    public List<String> names() {
        return List.copyOf(header.byName().keySet());
    }

    /** Whether the file holds a tensor called {@code name}. */
    public boolean contains(String name) {
        return header.byName().containsKey(name);
    }

    /** Dtype, shape and byte span of tensor {@code name}; {@link NoSuchElementException} when absent. */
    public TensorInfo info(String name) {
        TensorInfo info = header.byName().get(name);
        if (info == null) {
            throw new NoSuchElementException(path + ": no tensor " + SafetensorsFormatException.quote(name));
        }
        return info;
    }

    /** All tensors' infos in file order. */
    public List<TensorInfo> infos() {
        return header.tensors();
    }

    /** The header's {@code __metadata__} string map, empty when the file has none. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /**
     * Tensor {@code name} as a CPU tensor of its stored dtype, owning its memory. A BOOL tensor whose
     * bytes are not all 0 or 1 is rejected with {@link SafetensorsFormatException}: libtorch assumes
     * booleans are canonical.
     */
    public Tensor load(String name) throws IOException {
        TensorInfo info = info(name);
        ensureOpen();
        // The header was validated against the size at open; a file truncated since then would make
        // the mapped reads below fault, so check again right before mapping.
        long size = channel.size();
        if (size != header.fileSize()) {
            throw new IOException(path + ": file changed size from " + header.fileSize() + " to " + size
                    + " bytes since it was opened");
        }
        SafetensorsDType.requireLittleEndianHost();
        Tensor tensor;
        try (TensorOptions options = new TensorOptions(info.dtype().scalarType());
             MemoryFormatOptional format = new MemoryFormatOptional()) {
            tensor = torch.empty(info.shape(), options, format);
        }
        long length = info.byteSize();
        if (length == 0) return tensor;
        try (BytePointer target = new BytePointer(tensor.data_ptr())) {
            target.capacity(length);
            long start = header.dataStart() + info.begin();
            for (long done = 0; done < length; ) {
                int chunk = (int) Math.min(mapChunkBytes, length - done);
                MappedByteBuffer source = channel.map(FileChannel.MapMode.READ_ONLY, start + done, chunk);
                try {
                    if (info.dtype() == SafetensorsDType.BOOL) checkBooleans(source, info, done);
                    // A Java bulk copy, not a native memcpy: should the file still shrink under the
                    // mapping, the JVM turns the fault into an InternalError rather than dying.
                    ByteBuffer destination = target.position(done).limit(done + chunk).asByteBuffer();
                    destination.put(source);
                } finally {
                    MappedBuffers.unmap(source);
                }
                done += chunk;
            }
        } catch (IOException | RuntimeException | Error e) {
            tensor.close();
            throw e;
        }
        return tensor;
    }

    /**
     * Tensor {@code name}, stored as F32, read straight from the file into one Java array in row-major order: no
     * libtorch tensor and no second copy, for callers that work on the values in Java (embedding tables).
     *
     * @throws SafetensorsFormatException when the tensor is not F32 or holds more values than a Java array can
     */
    public float[] readFloats(String name) throws IOException {
        TensorInfo info = info(name);
        ensureOpen();
        if (info.dtype() != SafetensorsDType.F32) {
            throw new SafetensorsFormatException(path, name, "is " + info.dtype() + ", expected F32");
        }
        if (info.numel() > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(path, name, "holds " + info.numel() + " values, more than one Java array holds");
        }
        long size = channel.size();
        if (size != header.fileSize()) {
            throw new IOException(path + ": file changed size from " + header.fileSize() + " to " + size
                    + " bytes since it was opened");
        }
        float[] values = new float[(int) info.numel()];
        long length = info.byteSize();
        long start = header.dataStart() + info.begin();
        int step = Math.max(Float.BYTES, mapChunkBytes - mapChunkBytes % Float.BYTES);
        for (long done = 0; done < length; ) {
            int chunk = (int) Math.min(step, length - done);
            MappedByteBuffer source = channel.map(FileChannel.MapMode.READ_ONLY, start + done, chunk);
            try {
                source.order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, (int) (done / Float.BYTES), chunk / Float.BYTES);
            } finally {
                MappedBuffers.unmap(source);
            }
            done += chunk;
        }
        return values;
    }

    /** Tensor {@code name} converted to {@code convertTo} (no copy when it is already stored that way). */
    public Tensor load(String name, ScalarType convertTo) throws IOException {
        Tensor stored = load(name);
        if (stored.scalar_type().intern() == convertTo.intern()) return stored;
        Tensor converted = stored.to(convertTo);
        stored.close();
        return converted;
    }

    /** Closes the file handle. Tensors already loaded are unaffected. */
    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(path + " is closed");
    }

    private void checkBooleans(ByteBuffer source, TensorInfo info, long offsetInTensor)
            throws SafetensorsFormatException {
        for (int i = source.position(); i < source.limit(); i++) {
            byte b = source.get(i);
            if (b != 0 && b != 1) {
                throw new SafetensorsFormatException(path, info.name(), "BOOL element "
                        + (offsetInTensor + i) + " has byte value " + (b & 0xff) + "; only 0 and 1 are booleans");
            }
        }
    }
}
