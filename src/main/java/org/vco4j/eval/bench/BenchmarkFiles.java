package org.vco4j.eval.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vco4j.common.AtomicFiles;
import org.vco4j.common.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reading benchmark files with errors a user can act on: every failure is one line naming the file, the line
 * or record, and the field.
 */
final class BenchmarkFiles {
    private BenchmarkFiles() {}

    /** One JSON object of a JSON Lines file and where it came from ({@code file:line}). */
    record Line(String where, JsonNode node) {}

    /** The non-blank lines of a JSON Lines file, each a JSON object. */
    static List<Line> jsonLines(Path file) throws IOException {
        requireFile(file);
        List<Line> lines = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int number = 0;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) continue;
                String where = file + ":" + number;
                lines.add(new Line(where, object(parse(text, where), where)));
            }
        }
        return lines;
    }

    /** Reads one record of a JSON array into what the benchmark keeps of it. */
    @FunctionalInterface
    interface ArrayRecordReader<T> {
        /**
         * @param index the record's 0-based position in the array
         * @param where {@code file: record i}, for error messages
         */
        T read(int index, ObjectNode record, String where);
    }

    /** Reads one question of a JSON Lines file into what the benchmark keeps of it. */
    @FunctionalInterface
    interface LineReader<T> {
        /**
         * @param id    the question's id (unique in the file)
         * @param where {@code file:line}, for error messages
         */
        T read(String id, ObjectNode record, String where);
    }

    /**
     * The first {@code limit} records (0: all) of a JSON file holding an array of objects, each read by {@code reader};
     * an error when the file holds no record.
     *
     * @param singular what a record is, for the error messages ({@code record}, {@code query})
     * @param plural   its plural ({@code records}, {@code queries})
     */
    static <T> List<T> readJsonArray(Path file, String singular, String plural, int limit, ArrayRecordReader<T> reader) throws IOException {
        JsonNode root = jsonDocument(file);
        if (!root.isArray()) throw new IllegalArgumentException(file + ": expected a JSON array of " + plural);
        List<T> read = new ArrayList<>();
        for (int i = 0; i < root.size() && (limit == 0 || i < limit); i++) {
            String where = file + ": record " + i;
            read.add(reader.read(i, (ObjectNode) object(root.get(i), where), where));
        }
        if (read.isEmpty()) throw new IllegalArgumentException(file + ": no " + singular);
        return List.copyOf(read);
    }

    /**
     * The first {@code limit} questions (0: all) of a JSON Lines file, each identified by {@code idField} (a string or
     * an integer, unique in the file) and read by {@code reader}; every line is checked to be JSON, and the file must
     * hold a question.
     */
    static <T> List<T> readJsonLines(Path file, String idField, int limit, LineReader<T> reader) throws IOException {
        List<T> read = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Line line : jsonLines(file)) {
            if (limit > 0 && read.size() == limit) break;
            String where = line.where();
            String id = id(line.node(), idField, where);
            if (!ids.add(id)) throw new IllegalArgumentException(where + ": field '" + idField + "': " + id + " appears twice");
            read.add(reader.read(id, (ObjectNode) line.node(), where));
        }
        if (read.isEmpty()) throw new IllegalArgumentException(file + ": no question");
        return List.copyOf(read);
    }

    /** Writes JSON Lines: each element of {@code lines} on one line, as the benchmarks' own scripts read them. */
    static void writeJsonLines(Path file, ArrayNode lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (JsonNode line : lines) text.append(Json.MAPPER.writeValueAsString(line)).append('\n');
        AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code --images} folder a benchmark cannot do without.
     *
     * @param needed what the benchmark needs there, for the error when it is not given
     */
    static Path requireImageFolder(Path images, String needed) {
        if (images == null) throw new IllegalArgumentException("--images: " + needed);
        if (!Files.isDirectory(images)) throw new IllegalArgumentException("--images " + images + ": no such folder");
        return images;
    }

    /** {@code data} when it is a file, else the file {@code name} in that folder. */
    static Path fileIn(Path data, String name) {
        return Files.isDirectory(data) ? data.resolve(name) : data;
    }

    /** A whole JSON file. */
    static JsonNode jsonDocument(Path file) throws IOException {
        requireFile(file);
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return Json.STRICT.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": malformed JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        }
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file");
    }

    static JsonNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object");
        return node;
    }

    /** A required string field. */
    static String text(JsonNode record, String field, String where) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) throw new IllegalArgumentException(where + ": field '" + field + "' is missing");
        if (!value.isTextual()) throw new IllegalArgumentException(where + ": field '" + field + "' must be a string, got " + value);
        return value.asText();
    }

    /** A required field that identifies a record: a string or an integer, as its text. */
    static String id(JsonNode record, String field, String where) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) throw new IllegalArgumentException(where + ": field '" + field + "' is missing");
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw new IllegalArgumentException(where + ": field '" + field + "' must be a string or an integer, got " + value);
        }
        return value.asText();
    }

    /**
     * The image a record names, resolved in {@code folder}; it must exist there and stay inside it (a name such as
     * {@code ../x.jpg} is refused).
     */
    static Path image(Path folder, String name, String where, String field) {
        Path root = folder.toAbsolutePath().normalize();
        Path image = root.resolve(name).normalize();
        if (!image.startsWith(root)) throw new IllegalArgumentException(where + ": field '" + field + "' (" + name + ") leaves " + folder);
        if (!Files.isRegularFile(image)) throw new IllegalArgumentException(where + ": field '" + field + "': no image " + image);
        return image;
    }

    private static JsonNode parse(String text, String where) {
        try {
            return Json.STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": malformed JSON: " + e.getOriginalMessage());
        }
    }
}
