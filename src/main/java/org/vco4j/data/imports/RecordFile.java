package org.vco4j.data.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vco4j.common.Json;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The records of a dataset file, streamed one at a time so a file of any size fits in memory: a JSON list of
 * objects ({@code json.dump} of a list, records named by their 0-based index) or JSONL (one object per line,
 * records named by their line), or Parquet (rows, records named by their row: {@link ParquetRecords}). The kind is
 * told from the content, not the file name (Parquet by its magic bytes, JSON by its first character), because Hugging
 * Face's {@code to_json} writes JSONL under {@code .json} names.
 */
public final class RecordFile {
    /** Called with each record, and with the bytes read so far (for progress). */
    public interface Visitor {
        void record(SourceRecord record, long bytesRead) throws IOException;
    }

    private static final ObjectMapper STRICT_MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private RecordFile() {}

    /** Visits every record of {@code file} in order; malformed JSON is an error naming the file and the line. */
    public static void read(Path file, Visitor visitor) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
        if (ParquetRecords.isParquet(file)) {
            ParquetRecords.read(file, visitor);
            return;
        }
        int first = firstCharacter(file);
        if (first < 0) throw new IllegalArgumentException(file + ": no records (the file is empty)");
        if (first == '[') readList(file, visitor);
        else readLines(file, visitor);
    }

    private static int firstCharacter(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int b;
            do {
                b = in.read();
                if (b == 0xEF) { // a UTF-8 byte-order mark
                    in.skip(2);
                    b = in.read();
                }
            } while (b >= 0 && Character.isWhitespace(b));
            return b;
        }
    }

    private static void readList(Path file, Visitor visitor) throws IOException {
        try (JsonParser parser = STRICT_MAPPER.createParser(Files.newInputStream(file))) {
            parser.nextToken(); // the list's '['
            long index = 0;
            while (true) {
                JsonToken token = next(parser, file);
                if (token == JsonToken.END_ARRAY) break;
                String where = file + ": record " + index;
                if (token != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException(where + ": expected a JSON object, got " + token.asString());
                }
                JsonNode node;
                try {
                    node = parser.readValueAsTree();
                } catch (JsonProcessingException e) {
                    throw malformed(file, e);
                }
                visitor.record(new SourceRecord(node, where, index++), parser.currentLocation().getByteOffset());
            }
            if (next(parser, file) != null) throw new IllegalArgumentException(file + ": malformed JSON: text after the list");
        }
    }

    private static JsonToken next(JsonParser parser, Path file) throws IOException {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw malformed(file, e);
        }
    }

    private static IllegalArgumentException malformed(Path file, JsonProcessingException e) {
        String line = e.getLocation() == null ? "" : ": line " + e.getLocation().getLineNr();
        return new IllegalArgumentException(file + line + ": malformed JSON: " + e.getOriginalMessage().replace('\n', ' '));
    }

    private static void readLines(Path file, Visitor visitor) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            long bytes = 0;
            long lineNumber = 0;
            long ordinal = 0;
            String line;
            while ((line = readLine(reader, file, lineNumber + 1)) != null) {
                lineNumber++;
                bytes += line.length() + 1; // characters, close enough to bytes for progress
                if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                String where = file + ": line " + lineNumber;
                JsonNode node;
                try {
                    node = Json.STRICT.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(where + ": malformed JSON: " + e.getOriginalMessage().replace('\n', ' '));
                }
                if (!node.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object, got " + Json.kind(node));
                visitor.record(new SourceRecord(node, where, ordinal++), bytes);
            }
        }
    }

    private static String readLine(BufferedReader reader, Path file, long lineNumber) throws IOException {
        try {
            return reader.readLine();
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + ": line " + lineNumber + ": text is not UTF-8");
        }
    }
}
