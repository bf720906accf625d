package org.vco4j.train.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training metrics file, {@code metrics.jsonl}: one JSON object per logged step, {@code step} and
 * {@code epoch} first, then the record's values in order. Each line is written with a single write and
 * flushed, so a crash leaves at most a torn last line, which {@link #read} and {@link #resume} drop.
 *
 * <p>NaN and infinite values are written as Python's {@code json} module writes them ({@code NaN},
 * {@code Infinity}), so a diverging loss stays visible and the file loads in Python as it is.
 *
 * <p>Steps never go backwards: after {@link #resume} at step {@code s} the next record must be after
 * {@code s}, and records of one session must not decrease (several records may share a step, e.g. training
 * and evaluation), so the file never holds two histories of the same step.
 */
public final class MetricsLog implements Closeable {
    /** The file's conventional name in a run folder. */
    public static final String FILE_NAME = "metrics.jsonl";

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Path file;
    private final OutputStream out;
    private long minimumStep;

    private MetricsLog(Path file, OutputStream out, long minimumStep) {
        this.file = file;
        this.out = out;
        this.minimumStep = minimumStep;
    }

    /** Starts the log of a new run, replacing whatever {@code file} held. */
    public static MetricsLog create(Path file) throws IOException {
        return new MetricsLog(file, Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 0);
    }

    /**
     * Continues the log of a run resumed from the checkpoint of {@code step}: records after that step (the
     * lost work since the checkpoint) and a torn last line are cut off, and new records are appended.
     * A missing file starts empty.
     *
     * @throws MetricsFormatException when a line other than a torn last one is not a record
     */
    public static MetricsLog resume(Path file, long step) throws IOException {
        if (Files.exists(file)) {
            Scan scan = scan(file);
            long end = scan.completeBytes;
            for (Line line : scan.lines) {
                if (line.record.step() > step) {
                    end = line.start;
                    break;
                }
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.truncate(end);
                // A last record that lost only its newline is kept; end it so the next one starts a line.
                ByteBuffer last = ByteBuffer.allocate(1);
                if (end > 0 && channel.read(last, end - 1) == 1 && last.get(0) != '\n') {
                    channel.write(ByteBuffer.wrap(new byte[] {'\n'}), end);
                }
                channel.force(true);
            }
        }
        return new MetricsLog(file, Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), Math.addExact(step, 1));
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** Appends {@code record} as one line and flushes it. */
    public void log(MetricsRecord record) throws IOException {
        if (record.step() < minimumStep) {
            throw new IllegalArgumentException(file + ": cannot log step " + record.step() + ", the earliest step this log"
                    + " accepts now is " + minimumStep + " (steps must not go backwards)");
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeNumberField(MetricsRecord.STEP, record.step());
            json.writeNumberField(MetricsRecord.EPOCH, record.epoch());
            for (Map.Entry<String, Object> e : record.values().entrySet()) {
                json.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof Long l) json.writeNumber(l);
                else if (v instanceof Number n) json.writeNumber(n.doubleValue());
                else if (v instanceof Boolean b) json.writeBoolean(b);
                else json.writeString((String) v);
            }
            json.writeEndObject();
        }
        line.write('\n');
        out.write(line.toByteArray());
        out.flush();
        minimumStep = record.step();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /**
     * Every record in {@code file}, in order; a torn last line (no newline, not valid JSON) is ignored.
     *
     * @throws MetricsFormatException naming the file and line when a line is not a record
     */
    public static List<MetricsRecord> read(Path file) throws IOException {
        List<MetricsRecord> records = new ArrayList<>();
        for (Line line : scan(file).lines) records.add(line.record);
        return records;
    }

    private record Line(long start, MetricsRecord record) {}

    private record Scan(List<Line> lines, long completeBytes) {}

    /** The complete records of a file and the number of bytes up to a torn last line. */
    private static Scan scan(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < bytes.length) {
            number++;
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            boolean terminated = end < bytes.length;
            String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                MetricsRecord record;
                try {
                    record = parse(text);
                } catch (MetricsFormatException | JsonProcessingException e) {
                    // A write cut short by a crash: only the last line, and only without its newline.
                    if (!terminated) return new Scan(lines, start);
                    throw new MetricsFormatException(file + ":" + number + ": " + e.getMessage(), e);
                }
                lines.add(new Line(start, record));
            }
            start = end + 1;
        }
        return new Scan(lines, bytes.length);
    }

    private static MetricsRecord parse(String text) throws IOException {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw new MetricsFormatException("not a JSON object");
            Long step = null;
            double epoch = Double.NaN;
            Map<String, Object> values = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (!seen.add(name)) throw new MetricsFormatException("field '" + name + "' appears twice");
                switch (name) {
                    case MetricsRecord.STEP -> {
                        if (token != JsonToken.VALUE_NUMBER_INT) throw new MetricsFormatException("'step' is not an integer");
                        step = parser.getLongValue();
                    }
                    case MetricsRecord.EPOCH -> {
                        if (!token.isNumeric()) throw new MetricsFormatException("'epoch' is not a number");
                        epoch = parser.getDoubleValue();
                    }
                    default -> values.put(name, value(parser, token, name));
                }
            }
            if (parser.nextToken() != null) throw new MetricsFormatException("text after the JSON object");
            if (step == null) throw new MetricsFormatException("no 'step' field");
            try {
                return new MetricsRecord(step, epoch, values);
            } catch (IllegalArgumentException e) {
                throw new MetricsFormatException(e.getMessage(), e);
            }
        }
    }

    private static Object value(JsonParser parser, JsonToken token, String name) throws IOException {
        return switch (token) {
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
            default -> throw new MetricsFormatException("field '" + name + "' is " + token
                    + "; records hold numbers, strings and booleans");
        };
    }
}
