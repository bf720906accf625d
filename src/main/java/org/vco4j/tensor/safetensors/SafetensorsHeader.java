package org.vco4j.tensor.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and fully validated header of one safetensors file. Validation is complete before any
 * tensor data is touched, so nothing later reads outside the file.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    private final long fileSize;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;

    private SafetensorsHeader(long fileSize, long dataStart, Map<String, String> metadata, List<TensorInfo> tensors) {
        this.fileSize = fileSize;
        this.dataStart = dataStart;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = List.copyOf(tensors);
        Map<String, TensorInfo> index = new LinkedHashMap<>();
        for (TensorInfo t : tensors) index.put(t.name(), t);
        this.byName = Collections.unmodifiableMap(index);
    }

    /** Size of the file when it was validated. */
    long fileSize() {
        return fileSize;
    }

    /** File offset of the data buffer: 8 plus the header length. */
    long dataStart() {
        return dataStart;
    }

    /** The {@code __metadata__} map in header order; empty when absent. */
    Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors ordered by their position in the data buffer. */
    List<TensorInfo> tensors() {
        return tensors;
    }

    /** Tensors by name, iterating in data-buffer order. */
    Map<String, TensorInfo> byName() {
        return byName;
    }

    /** Reads and validates the header of {@code channel}, the open file {@code file}. */
    static SafetensorsHeader read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafetensorsFormatException(file, "file is " + fileSize
                    + " bytes long, too short for the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0);
        long headerLength = prefix.getLong(0);
        // A negative long is an unsigned length of 2^63 or more: above the limit either way.
        if (headerLength < 0 || headerLength > StrictJson.MAX_DOCUMENT_BYTES) {
            throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + StrictJson.MAX_DOCUMENT_BYTES + " bytes");
        }
        if (headerLength > fileSize - 8) {
            throw new SafetensorsFormatException(file, "header length " + headerLength
                    + " runs past the end of the " + fileSize + "-byte file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        headerBytes.flip();
        long dataStart = 8 + headerLength;
        return parse(file, headerBytes, fileSize, dataStart);
    }

    private static SafetensorsHeader parse(Path file, ByteBuffer headerBytes, long fileSize, long dataStart)
            throws SafetensorsFormatException {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, null, "header is not valid UTF-8", e);
        }

        Map<String, String> metadata = Map.of();
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        try (JsonParser parser = StrictJson.MAPPER.createParser(json)) {
            // Top-level keys are checked by hand so a repeated tensor name gets a message naming it;
            // nested objects are still held to unique keys by the tree reader.
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new SafetensorsFormatException(file, "header is not a JSON object");
            }
            String name;
            while ((name = parser.nextFieldName()) != null) {
                boolean isMetadata = name.equals(METADATA_KEY);
                if (!seen.add(name)) {
                    throw isMetadata ? new SafetensorsFormatException(file, "__metadata__ appears twice in the header")
                            : new SafetensorsFormatException(file, name, "name appears twice in the header");
                }
                parser.nextToken();
                JsonNode value = parser.readValueAsTree();
                if (isMetadata) metadata = parseMetadata(file, value);
                else entries.put(name, value);
            }
            if (parser.nextToken() != null) {
                throw new SafetensorsFormatException(file, "unexpected content after the header's JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, null, "header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            // Parsing a String does no I/O; anything else Jackson raises is a syntax problem.
            throw new SafetensorsFormatException(file, null, "header is not valid JSON: " + e.getMessage(), e);
        }

        long dataLength = fileSize - dataStart;
        List<TensorInfo> tensors = new ArrayList<>(entries.size());
        for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
            tensors.add(parseEntry(file, e.getKey(), e.getValue(), dataLength));
        }
        checkLayout(file, tensors, dataLength);
        return new SafetensorsHeader(fileSize, dataStart, metadata, tensors);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, "__metadata__ must be an object mapping strings to strings, not "
                    + describe(node));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, "__metadata__ value for key "
                        + SafetensorsFormatException.quote(e.getKey()) + " must be a string, not " + describe(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static TensorInfo parseEntry(Path file, String name, JsonNode node, long dataLength)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, name, "entry must be an object, not " + describe(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!ENTRY_FIELDS.contains(field)) {
                throw new SafetensorsFormatException(file, name, "unexpected field " + SafetensorsFormatException.quote(field)
                        + " (allowed: dtype, shape, data_offsets)");
            }
        }
        for (String field : List.of("dtype", "shape", "data_offsets")) {
            if (!node.has(field)) throw new SafetensorsFormatException(file, name, "missing field '" + field + "'");
        }

        JsonNode dtypeNode = node.get("dtype");
        if (!dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(file, name, "dtype must be a string, not " + describe(dtypeNode));
        }
        SafetensorsDType dtype = SafetensorsDType.fromCode(dtypeNode.textValue()).orElseThrow(() ->
                new SafetensorsFormatException(file, name, "unsupported dtype "
                        + SafetensorsFormatException.quote(dtypeNode.textValue())
                        + " (supported: " + SafetensorsDType.supportedCodes() + ")"));

        JsonNode shapeNode = node.get("shape");
        if (!shapeNode.isArray()) {
            throw new SafetensorsFormatException(file, name, "shape must be a list of non-negative integers, not "
                    + describe(shapeNode));
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i)).orElseThrow(() -> new SafetensorsFormatException(file, name,
                    "shape must be a list of non-negative integers, got " + abbreviate(shapeNode.toString())));
        }

        JsonNode offsetsNode = node.get("data_offsets");
        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new SafetensorsFormatException(file, name,
                    "data_offsets must be a list of two non-negative integers, got " + abbreviate(offsetsNode.toString()));
        }
        long begin = nonNegativeLong(offsetsNode.get(0)).orElseThrow(() -> new SafetensorsFormatException(file, name,
                "data_offsets must be a list of two non-negative integers, got " + abbreviate(offsetsNode.toString())));
        long end = nonNegativeLong(offsetsNode.get(1)).orElseThrow(() -> new SafetensorsFormatException(file, name,
                "data_offsets must be a list of two non-negative integers, got " + abbreviate(offsetsNode.toString())));
        if (begin > end) {
            throw new SafetensorsFormatException(file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }

        long expectedBytes;
        try {
            long n = dtype.byteSize();
            for (long d : shape) n = Math.multiplyExact(n, d);
            expectedBytes = n;
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(file, name, "shape " + Arrays.toString(shape) + " of " + dtype
                    + " overflows a 64-bit byte count");
        }
        if (end - begin != expectedBytes) {
            throw new SafetensorsFormatException(file, name, "shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expectedBytes + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        if (end > dataLength) {
            throw new SafetensorsFormatException(file, name, "data_offsets [" + begin + ", " + end + "]"
                    + " run past the end of the " + dataLength + "-byte data buffer");
        }
        return new TensorInfo(file, name, dtype, shape, begin, end);
    }

    /**
     * Sorts {@code tensors} into data order and requires them to tile the data buffer exactly, as the
     * reference implementation does: no overlap (aliasing), no gap, nothing after the last tensor.
     */
    private static void checkLayout(Path file, List<TensorInfo> tensors, long dataLength)
            throws SafetensorsFormatException {
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end)
                .thenComparing(TensorInfo::name));
        long covered = 0;
        TensorInfo previous = null;
        for (TensorInfo t : tensors) {
            if (t.begin() < covered) {
                throw new SafetensorsFormatException(file, t.name(), "bytes [" + t.begin() + ", " + t.end()
                        + ") overlap tensor " + SafetensorsFormatException.quote(previous.name()) + " at ["
                        + previous.begin() + ", " + previous.end() + ")");
            }
            if (t.begin() > covered) {
                throw new SafetensorsFormatException(file, t.name(), "data buffer bytes [" + covered + ", " + t.begin()
                        + ") before this tensor belong to no tensor");
            }
            covered = t.end();
            previous = t;
        }
        if (covered != dataLength) {
            throw new SafetensorsFormatException(file, (dataLength - covered) + " bytes after the last tensor belong to "
                    + "no tensor (tensors cover " + covered + " of the " + dataLength + "-byte data buffer)");
        }
    }

    private static java.util.Optional<Long> nonNegativeLong(JsonNode node) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) return java.util.Optional.empty();
        long v = node.longValue();
        return v < 0 ? java.util.Optional.empty() : java.util.Optional.of(v);
    }

    private static String describe(JsonNode node) {
        return node.isNull() ? "null" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(node.toString());
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) throw new EOFException("file shrank while its header was being read");
            position += n;
        }
    }
}
