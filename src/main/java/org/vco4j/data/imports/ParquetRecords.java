package org.vco4j.data.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.vco4j.common.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The rows of a Parquet file (as Hugging Face publishes datasets: {@code data/train-00000-of-00001.parquet}) as
 * the JSON records every dataset reader takes, so one reader serves a layout in JSON, JSONL and Parquet alike.
 * Read with the Parquet project's own reader ({@code parquet-hadoop} through {@link LocalInputFile}, no Hadoop),
 * one row group at a time.
 *
 * <p>A row becomes a JSON object: strings (and enums, JSON columns) as text, other byte arrays as binary (so a
 * Hugging Face {@code Image} struct {@code {"bytes", "path"}} reaches {@link ImageSource} with its raw bytes),
 * integers, floats and booleans as numbers and booleans, structs as objects, {@code LIST} columns as arrays (the
 * standard three-level form and the older two-level ones), {@code MAP} columns as objects, nulls as null. Records
 * are named {@code FILE: row N} (0-based).
 */
final class ParquetRecords {
    /** The four bytes that open and close every Parquet file. */
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    private ParquetRecords() {}

    /** Whether {@code file} starts with Parquet's magic bytes. */
    static boolean isParquet(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
        }
    }

    /** Visits every row of {@code file} in order; a damaged file is an error naming the file (and the row). */
    static void read(Path file, RecordFile.Visitor visitor) throws IOException {
        long size = Files.size(file);
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE).build();
        LocalInputFile input = new LocalInputFile(file);
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(input, options);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a readable Parquet file (" + firstLine(e).replace(input.toString(), "it") + ")");
        }
        try (reader) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            long total = Math.max(1, reader.getRecordCount());
            MessageColumnIO columns = new ColumnIOFactory().getColumnIO(schema);
            long row = 0;
            while (true) {
                PageReadStore pages;
                try {
                    pages = reader.readNextRowGroup();
                } catch (IOException | RuntimeException e) {
                    throw unreadable(file, row, e);
                }
                if (pages == null) break;
                RecordReader<Group> records = columns.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++, row++) {
                    Group group;
                    try {
                        group = records.read();
                    } catch (RuntimeException e) {
                        throw unreadable(file, row, e);
                    }
                    visitor.record(new SourceRecord(object(group), file + ": row " + row, row), size * (row + 1) / total);
                }
            }
        }
    }

    /** An unsupported codec, or damaged data, at {@code row}. */
    private static IllegalArgumentException unreadable(Path file, long row, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsupportedOperationException) {
                return new IllegalArgumentException(file + ": row " + row + ": " + cause.getMessage());
            }
        }
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return new IllegalArgumentException(file + ": row " + row + ": damaged Parquet data (" + firstLine(e)
                + (root != e ? ": " + firstLine(root) : "") + ")");
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** A struct (or the row itself) as an object with one member per field. */
    private static ObjectNode object(Group group) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        GroupType type = group.getType();
        for (int f = 0; f < type.getFieldCount(); f++) node.set(type.getFieldName(f), field(group, f));
        return node;
    }

    /** Field {@code f} of {@code group}: a repeated field as an array, an absent optional one as null. */
    private static JsonNode field(Group group, int f) {
        Type type = group.getType().getType(f);
        int count = group.getFieldRepetitionCount(f);
        if (type.isRepetition(Type.Repetition.REPEATED)) {
            ArrayNode values = Json.MAPPER.createArrayNode();
            for (int i = 0; i < count; i++) values.add(value(group, f, i, type));
            return values;
        }
        return count == 0 ? NullNode.getInstance() : value(group, f, 0, type);
    }

    private static JsonNode value(Group group, int f, int index, Type type) {
        if (type.isPrimitive()) return primitive(group, f, index, type.asPrimitiveType());
        Group nested = group.getGroup(f, index);
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) return list(nested);
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) return map(nested);
        return object(nested);
    }

    /**
     * A {@code LIST} group's elements. The group holds one repeated field: in the standard three-level form a group
     * with the one field {@code element} (pyarrow also writes {@code item}); in the older two-level forms the
     * elements themselves (a primitive, a group of several fields, or a group named {@code array} or
     * {@code NAME_tuple}), as Parquet's backward-compatibility rules read them.
     */
    private static ArrayNode list(Group list) {
        ArrayNode values = Json.MAPPER.createArrayNode();
        if (list.getType().getFieldCount() != 1) return values;
        Type repeated = list.getType().getType(0);
        boolean threeLevel = !repeated.isPrimitive() && repeated.asGroupType().getFieldCount() == 1
                && !repeated.getName().equals("array") && !repeated.getName().equals(list.getType().getName() + "_tuple");
        for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
            if (threeLevel) {
                values.add(field(list.getGroup(0, i), 0));
            } else {
                values.add(value(list, 0, i, repeated));
            }
        }
        return values;
    }

    /** A {@code MAP} group ({@code repeated group key_value {key; value}}) as an object keyed by the keys' text. */
    private static ObjectNode map(Group map) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        if (map.getType().getFieldCount() != 1) return node;
        for (int i = 0; i < map.getFieldRepetitionCount(0); i++) {
            Group entry = map.getGroup(0, i);
            JsonNode key = field(entry, 0);
            JsonNode value = entry.getType().getFieldCount() > 1 ? field(entry, 1) : NullNode.getInstance();
            node.set(key.isBinary() ? new String(((BinaryNode) key).binaryValue(), java.nio.charset.StandardCharsets.UTF_8) : key.asText(), value);
        }
        return node;
    }

    private static JsonNode primitive(Group group, int f, int index, PrimitiveType type) {
        var nodes = Json.MAPPER.getNodeFactory();
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> nodes.booleanNode(group.getBoolean(f, index));
            case INT32 -> nodes.numberNode(group.getInteger(f, index));
            case INT64 -> nodes.numberNode(group.getLong(f, index));
            case FLOAT -> nodes.numberNode(group.getFloat(f, index));
            case DOUBLE -> nodes.numberNode(group.getDouble(f, index));
            case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> isText(type) ? nodes.textNode(group.getString(f, index))
                    : nodes.binaryNode(group.getBinary(f, index).getBytes());
        };
    }

    private static boolean isText(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
    }
}
